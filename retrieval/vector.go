package retrieval

import (
	"bufio"
	"cmp"
	"container/heap"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"sync"
	"unsafe"

	"github.com/blevesearch/mmap-go"
)

// matrix is n vectors of dim float32s stored row after row. A query is one
// pass over it, split across the cores when it is large (see
// parallelScanFloats); four independent accumulators in the dot product
// let the CPU overlap the multiply-adds.
type matrix struct {
	n, dim int
	data   []float32
	// unmap releases data when it is mapped from a matrix file.
	unmap func() error
}

// close releases a mapped matrix; it holds no rows afterwards.
func (m *matrix) close() error {
	var err error
	if m.unmap != nil {
		err = m.unmap()
	}
	*m = matrix{dim: m.dim}
	return err
}

func newMatrix(n, dim int) matrix {
	return matrix{n: n, dim: dim, data: make([]float32, n*dim)}
}

func (m matrix) row(i int) []float32 { return m.data[i*m.dim : (i+1)*m.dim : (i+1)*m.dim] }

func (m matrix) set(i int, v []float32) error {
	if len(v) != m.dim {
		return fmt.Errorf("vector has %d dimensions, index has %d", len(v), m.dim)
	}
	copy(m.row(i), v)
	return nil
}

// The matrix file holds the vectors as they sit in memory, so that loading
// maps it as it is (see openMatrix): matrixMagic, the dimension (uint32)
// and the row count (uint64), then every row's float32s, all
// little-endian. At 100k chunks of 1024 dimensions, importing chromem-go's
// gob export instead took over a second and peaked at 870 MiB on its own,
// next to the 400 MiB the matrix itself needs.
const matrixMagic = "wenda-vectors-1\n"

// writeMatrix writes n rows of dim float32s, taken from row(i), to w.
func writeMatrix(w io.Writer, n, dim int, row func(i int) []float32) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var head [12]byte
	binary.LittleEndian.PutUint32(head[:4], uint32(dim))
	binary.LittleEndian.PutUint64(head[4:], uint64(n))
	bw.WriteString(matrixMagic)
	bw.Write(head[:])
	buf := make([]byte, 4*dim)
	for i := range n {
		v := row(i)
		if len(v) != dim {
			return fmt.Errorf("vector %d has %d dimensions, index has %d", i, len(v), dim)
		}
		for k, x := range v {
			binary.LittleEndian.PutUint32(buf[4*k:], math.Float32bits(x))
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// errMatrixShape says that a matrix file does not hold the rows the index
// expects.
var errMatrixShape = errors.New("matrix file does not match the index")

const matrixHeader = len(matrixMagic) + 12

// openMatrix maps the matrix file at path, of n rows of dim float32s, and
// scans the rows where they lie. The rows then live outside the Go heap:
// the garbage collector lets the heap grow to twice what is live before it
// collects, and with 400 MiB of vectors counted as live, a server under
// load at 100k chunks reached 1.1 GiB; mapped, the vectors count once, and
// the kernel may drop their clean pages under memory pressure. On a
// big-endian machine the file is read and converted instead.
func openMatrix(path string, n, dim int) (matrix, error) {
	f, err := os.Open(path)
	if err != nil {
		return matrix{}, err
	}
	defer f.Close()
	if err := readMatrixHeader(f, n, dim); err != nil {
		return matrix{}, err
	}
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 || n*dim == 0 {
		return readMatrixRows(f, n, dim)
	}
	fi, err := f.Stat()
	if err != nil {
		return matrix{}, err
	}
	if want := int64(matrixHeader) + 4*int64(n)*int64(dim); fi.Size() != want {
		return matrix{}, fmt.Errorf("%w: %d bytes, want %d", errMatrixShape, fi.Size(), want)
	}
	mm, err := mmap.Map(f, mmap.RDONLY, 0)
	if err != nil {
		return matrix{}, fmt.Errorf("map %s: %w", path, err)
	}
	// The header is a multiple of 4 bytes long and mappings start on a
	// page, so the rows are aligned for float32.
	data := unsafe.Slice((*float32)(unsafe.Pointer(&mm[matrixHeader])), n*dim)
	return matrix{n: n, dim: dim, data: data, unmap: mm.Unmap}, nil
}

// readMatrix reads a matrix file of n rows of dim float32s into memory.
func readMatrix(r io.Reader, n, dim int) (matrix, error) {
	if err := readMatrixHeader(r, n, dim); err != nil {
		return matrix{}, err
	}
	return readMatrixRows(r, n, dim)
}

func readMatrixHeader(r io.Reader, n, dim int) error {
	head := make([]byte, matrixHeader)
	if _, err := io.ReadFull(r, head); err != nil {
		return err
	}
	if string(head[:len(matrixMagic)]) != matrixMagic {
		return fmt.Errorf("%w: not a matrix file", errMatrixShape)
	}
	gotDim := int(binary.LittleEndian.Uint32(head[len(matrixMagic):]))
	gotN := binary.LittleEndian.Uint64(head[len(matrixMagic)+4:])
	if gotDim != dim || gotN != uint64(n) {
		return fmt.Errorf("%w: %d rows of %d, want %d of %d", errMatrixShape, gotN, gotDim, n, dim)
	}
	return nil
}

func readMatrixRows(r io.Reader, n, dim int) (matrix, error) {
	m := newMatrix(n, dim)
	buf := make([]byte, 1<<20)
	for off := 0; off < len(m.data); {
		k := min(len(buf)/4, len(m.data)-off)
		if _, err := io.ReadFull(r, buf[:4*k]); err != nil {
			return matrix{}, err
		}
		for j := range k {
			m.data[off+j] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*j:]))
		}
		off += k
	}
	return m, nil
}

func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// parallelScanFloats is the matrix size, in float32s, from which a query
// scans on every core: at 100k chunks of 1024 dimensions one core reads
// about 15 GB/s, half what the memory gives, since the dot product is
// bound by the loads and multiply-adds one core issues. Smaller matrices
// sit in the caches and are not worth the goroutines.
const parallelScanFloats = 1 << 22

// searchVector returns the n chunks whose vectors have the highest cosine
// similarity with q (all vectors are unit length, so the dot product),
// restricted to allowed documents when allowed is non-nil.
func (ix *Index) searchVector(ctx context.Context, q []float32, n int, allowed map[string]bool) ([]hit, error) {
	if len(q) != ix.vecs.dim {
		return nil, fmt.Errorf("vector search: query has %d dimensions, index has %d", len(q), ix.vecs.dim)
	}
	parts := 1
	if len(ix.vecs.data) >= parallelScanFloats {
		parts = runtime.GOMAXPROCS(0)
	}
	if parts <= 1 {
		return ix.scanRows(ctx, q, n, allowed, 0, ix.vecs.n)
	}
	// Each part keeps its own best n; the best n of their union, in the
	// same order, are the best n of the whole scan.
	found := make([][]hit, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*ix.vecs.n/parts, (p+1)*ix.vecs.n/parts
		wg.Go(func() { found[p], errs[p] = ix.scanRows(ctx, q, n, allowed, lo, hi) })
	}
	wg.Wait()
	var all []hit
	for p := range parts {
		if errs[p] != nil {
			return nil, errs[p]
		}
		all = append(all, found[p]...)
	}
	slices.SortFunc(all, func(a, b hit) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return cmp.Compare(a.chunk, b.chunk)
	})
	return all[:min(n, len(all))], nil
}

// scanRows returns, best first, the n best of rows [lo, hi).
func (ix *Index) scanRows(ctx context.Context, q []float32, n int, allowed map[string]bool, lo, hi int) ([]hit, error) {
	h := make(minHeap, 0, n+1)
	for i := lo; i < hi; i++ {
		if (i-lo)&4095 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if allowed != nil && !allowed[ix.chunks[i].DocID] {
			continue
		}
		s := float64(dot(q, ix.vecs.row(i)))
		if len(h) < n {
			heap.Push(&h, hit{i, s})
		} else if s > h[0].score {
			h[0] = hit{i, s}
			heap.Fix(&h, 0)
		}
	}
	out := make([]hit, len(h))
	for k := len(h) - 1; k >= 0; k-- {
		out[k] = heap.Pop(&h).(hit)
	}
	return out, nil
}

// minHeap keeps the best n hits with the worst on top; ties break by chunk
// position so results are deterministic.
type minHeap []hit

func (h minHeap) Len() int { return len(h) }
func (h minHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score < h[j].score
	}
	return h[i].chunk > h[j].chunk
}
func (h minHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)   { *h = append(*h, x.(hit)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
