package bench

import (
	"bufio"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Percentile is the nearest-rank p-quantile (0 < p ≤ 1) of ds; ds need not
// be sorted. It is 0 for no samples.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// Median is the middle value of xs (the mean of the two middle ones for
// an even count); it is 0 for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Memory is a process's resident set from /proc, in bytes.
type Memory struct {
	Peak    int64 // VmHWM, the high-water mark
	Current int64 // VmRSS
}

// ProcMemory reads the resident set of process pid; pid 0 is this process.
func ProcMemory(pid int) (Memory, error) {
	p := "/proc/self/status"
	if pid != 0 {
		p = fmt.Sprintf("/proc/%d/status", pid)
	}
	f, err := os.Open(p)
	if err != nil {
		return Memory{}, fmt.Errorf("read resident set: %w", err)
	}
	defer f.Close()
	var m Memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch k {
		case "VmHWM":
			m.Peak = kB(v)
		case "VmRSS":
			m.Current = kB(v)
		}
	}
	if err := sc.Err(); err != nil {
		return Memory{}, fmt.Errorf("read %s: %w", p, err)
	}
	return m, nil
}

func kB(v string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
	return n << 10
}

// Bandwidth is what one core moves between memory and itself, in bytes per
// second, over buffers far larger than the caches.
type Bandwidth struct {
	// Read is a multi-accumulator sum over a buffer: only loads, the way
	// a vector scan touches memory. It is the limit a scan is held to.
	Read float64
	// Copy is copy between two buffers, counting each byte copied once.
	Copy float64
}

// MeasureBandwidth times passes reads and copies of a buffer of size bytes
// and keeps the best of each; the buffer should be several times the
// last-level cache.
func MeasureBandwidth(size, passes int) Bandwidth {
	a := make([]uint64, size/8)
	b := make([]uint64, size/8)
	for i := range a {
		a[i] = uint64(i)
		b[i] = uint64(i) // touch every page before timing
	}
	var bw Bandwidth
	for range passes {
		start := time.Now()
		sink += sumWords(a)
		bw.Read = max(bw.Read, float64(size)/time.Since(start).Seconds())
		start = time.Now()
		copy(b, a)
		bw.Copy = max(bw.Copy, float64(size)/time.Since(start).Seconds())
	}
	return bw
}

var sink uint64

// sumWords adds the words of a with eight independent accumulators, so the
// adds keep up with the loads and the loop runs at memory speed.
//
//go:noinline
func sumWords(a []uint64) uint64 {
	var s0, s1, s2, s3, s4, s5, s6, s7 uint64
	i := 0
	for ; i+8 <= len(a); i += 8 {
		w := a[i : i+8 : i+8]
		s0 += w[0]
		s1 += w[1]
		s2 += w[2]
		s3 += w[3]
		s4 += w[4]
		s5 += w[5]
		s6 += w[6]
		s7 += w[7]
	}
	for ; i < len(a); i++ {
		s0 += a[i]
	}
	return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7
}

// DirBytes is the size of the files under dir.
func DirBytes(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			n += fi.Size()
		}
		return nil
	})
	return n, err
}
