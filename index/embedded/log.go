package embedded

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"wenda/internal/durable"
)

// The document log is the durable record of a collection generation and
// the commit point of every write: a Put or Delete is done when its record
// is appended and fsynced. It is a series of segment files, each a run of
// records:
//
//	magic "wlg1" | payload length uint32 | CRC-32C of the payload uint32 | payload
//
// A record holds one Put (the documents with their texts, chunk spans and
// vectors) or one Delete (document ids), under a log sequence number (LSN)
// that is also the version of the documents it puts. The bleve postings
// and the chromem-go vectors are derived from it; the texts are read from
// it when a chunk or document is asked for, so they are never all in
// memory.
//
// Only the tail of the last segment can be torn (a crash during an
// append): opening cuts it off. A bad record anywhere else is corruption,
// reported as such.
const (
	recordMagic  = "wlg1"
	recordHeader = 12
	// segmentBytes is the size past which appends go to a new segment, so
	// that compaction can drop whole files.
	segmentBytes = 256 << 20
	// maxRecordBytes bounds one record; a Put larger than this is refused.
	maxRecordBytes = 1 << 30
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Record operations.
const (
	opPut byte = 1
	opDel byte = 2
)

// segment is one log file, open for reading by any number of goroutines.
// It is closed when the log drops it and the last reader is done.
type segment struct {
	seq  int
	path string
	f    *os.File
	refs atomic.Int64 // 1 for the log itself, plus one per reader
}

func (s *segment) acquire() { s.refs.Add(1) }

func (s *segment) release() {
	if s.refs.Add(-1) == 0 {
		s.f.Close()
	}
}

// readAt reads n bytes at off.
func (s *segment) readAt(off int64, n int) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := s.f.ReadAt(buf, off); err != nil {
		return nil, fmt.Errorf("read %s at %d: %w", s.path, off, err)
	}
	return buf, nil
}

// docLog appends records to the newest segment. Appends are serialised by
// the collection's writer lock; reads of earlier records may run at any
// time.
type docLog struct {
	dir      string
	readOnly bool

	mu   sync.Mutex // guards segs
	segs []*segment
	w    *os.File // the newest segment, open for appending; nil read-only
	size int64    // its length
}

func segmentName(seq int) string { return fmt.Sprintf("%08d.wlg", seq) }

// openLog opens the segments in dir in order and replays them through
// apply, cutting off a torn tail of the last one (unless read-only).
func openLog(dir string, readOnly bool, apply func(seg *segment, off int64, payload []byte) error) (*docLog, error) {
	if !readOnly {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create log: %w", err)
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil && !(readOnly && errors.Is(err, fs.ErrNotExist)) {
		return nil, fmt.Errorf("read log: %w", err)
	}
	var seqs []int
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".wlg")
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(name); err == nil {
			seqs = append(seqs, n)
		}
	}
	slices.Sort(seqs)
	l := &docLog{dir: dir, readOnly: readOnly}
	for i, seq := range seqs {
		path := filepath.Join(dir, segmentName(seq))
		flag := os.O_RDONLY
		last := i == len(seqs)-1
		if last && !readOnly {
			flag = os.O_RDWR
		}
		f, err := os.OpenFile(path, flag, 0)
		if err != nil {
			l.close()
			return nil, fmt.Errorf("open log segment: %w", err)
		}
		s := &segment{seq: seq, path: path, f: f}
		s.refs.Store(1)
		l.segs = append(l.segs, s)
		var good int64
		if apply != nil {
			good, err = replaySegment(s, apply)
		} else if fi, serr := f.Stat(); serr == nil {
			good = fi.Size()
		}
		if err != nil && !(last && errors.Is(err, errTorn)) {
			l.close()
			return nil, err
		}
		if last {
			l.size = good
			if errors.Is(err, errTorn) && !readOnly {
				// A crash during an append: the record was never
				// acknowledged, so it is dropped.
				if err := f.Truncate(good); err != nil {
					l.close()
					return nil, fmt.Errorf("cut torn tail of %s: %w", path, err)
				}
				if err := f.Sync(); err != nil {
					l.close()
					return nil, fmt.Errorf("sync %s: %w", path, err)
				}
			}
		}
	}
	if !readOnly {
		if len(l.segs) == 0 {
			if err := l.newSegment(1); err != nil {
				return nil, err
			}
		} else {
			l.w = l.segs[len(l.segs)-1].f
		}
	}
	return l, nil
}

var errTorn = errors.New("torn record")

// replaySegment reads every record of s and hands it to apply; it returns
// the length of the part that holds whole, valid records.
func replaySegment(s *segment, apply func(seg *segment, off int64, payload []byte) error) (int64, error) {
	fi, err := s.f.Stat()
	if err != nil {
		return 0, err
	}
	size := fi.Size()
	r := bufio.NewReaderSize(io.NewSectionReader(s.f, 0, size), 1<<20)
	var off int64
	head := make([]byte, recordHeader)
	var payload []byte
	for off < size {
		if _, err := io.ReadFull(r, head); err != nil {
			return off, fmt.Errorf("%s at %d: %w", s.path, off, errTorn)
		}
		if string(head[:4]) != recordMagic {
			return off, fmt.Errorf("%s at %d: no record marker: %w", s.path, off, errTorn)
		}
		n := int64(binary.LittleEndian.Uint32(head[4:]))
		sum := binary.LittleEndian.Uint32(head[8:])
		if n > maxRecordBytes || off+recordHeader+n > size {
			return off, fmt.Errorf("%s at %d: record runs past the end: %w", s.path, off, errTorn)
		}
		if int64(cap(payload)) < n {
			payload = make([]byte, n)
		}
		payload = payload[:n]
		if _, err := io.ReadFull(r, payload); err != nil {
			return off, fmt.Errorf("%s at %d: %w", s.path, off, errTorn)
		}
		if crc32.Checksum(payload, crcTable) != sum {
			return off, fmt.Errorf("%s at %d: checksum mismatch: %w", s.path, off, errTorn)
		}
		if err := apply(s, off+recordHeader, payload); err != nil {
			return off, fmt.Errorf("%s at %d: %w", s.path, off, err)
		}
		off += recordHeader + n
	}
	return off, nil
}

func (l *docLog) newSegment(seq int) error {
	path := filepath.Join(l.dir, segmentName(seq))
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("create log segment: %w", err)
	}
	if err := durable.SyncDir(l.dir); err != nil {
		f.Close()
		return err
	}
	s := &segment{seq: seq, path: path, f: f}
	s.refs.Store(1)
	l.mu.Lock()
	l.segs = append(l.segs, s)
	l.mu.Unlock()
	l.w, l.size = f, 0
	return nil
}

// append writes one record and fsyncs it. It returns the segment and the
// offset of the payload in it. On failure nothing of the record remains.
func (l *docLog) append(payload []byte) (*segment, int64, error) {
	if l.readOnly {
		return nil, 0, errReadOnlyLog
	}
	if len(payload) > maxRecordBytes {
		return nil, 0, fmt.Errorf("record of %d bytes is larger than %d", len(payload), maxRecordBytes)
	}
	if l.size > 0 && l.size+int64(len(payload)) > segmentBytes {
		if err := l.newSegment(l.segs[len(l.segs)-1].seq + 1); err != nil {
			return nil, 0, err
		}
	}
	s := l.segs[len(l.segs)-1]
	rec := make([]byte, recordHeader+len(payload))
	copy(rec, recordMagic)
	binary.LittleEndian.PutUint32(rec[4:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(rec[8:], crc32.Checksum(payload, crcTable))
	copy(rec[recordHeader:], payload)
	off := l.size
	_, err := l.w.WriteAt(rec, off)
	if err == nil {
		err = l.w.Sync()
	}
	if err != nil {
		// Take back what may have been written, so that a record the
		// caller was told failed never comes back at the next start.
		if terr := l.w.Truncate(off); terr == nil {
			l.w.Sync()
		}
		return nil, 0, fmt.Errorf("append to %s: %w", s.path, err)
	}
	l.size = off + int64(len(rec))
	return s, off + recordHeader, nil
}

// undo cuts the log back to before the record whose payload starts at off
// in s, the newest segment: the write it committed failed afterwards.
func (l *docLog) undo(s *segment, off int64) error {
	if s != l.segs[len(l.segs)-1] {
		return fmt.Errorf("undo: record is not in the newest segment")
	}
	start := off - recordHeader
	if err := l.w.Truncate(start); err != nil {
		return fmt.Errorf("undo append to %s: %w", s.path, err)
	}
	if err := l.w.Sync(); err != nil {
		return fmt.Errorf("undo append to %s: %w", s.path, err)
	}
	l.size = start
	return nil
}

var errReadOnlyLog = errors.New("log is read-only")

// close releases the log's hold on every segment; segments still read
// close when their readers finish.
func (l *docLog) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.segs {
		s.release()
	}
	l.segs = nil
}

// bytes is the total size of the segments.
func (l *docLog) bytes() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var n int64
	for _, s := range l.segs {
		if fi, err := s.f.Stat(); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// encoder builds a record payload.
type encoder struct{ b []byte }

func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) byte1(v byte)     { e.b = append(e.b, v) }
func (e *encoder) bytes(p []byte)   { e.uvarint(uint64(len(p))); e.b = append(e.b, p...) }
func (e *encoder) str(s string)     { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }

// alignFloats pads the payload to a multiple of 4 bytes (counting the
// record header), where floats begin.
func (e *encoder) alignFloats() {
	for (len(e.b)+recordHeader)%4 != 0 {
		e.b = append(e.b, 0)
	}
}

// floats writes v, aligned.
func (e *encoder) floats(v []float32) {
	e.alignFloats()
	for _, x := range v {
		e.b = binary.LittleEndian.AppendUint32(e.b, math.Float32bits(x))
	}
}

// decoder reads a record payload; the first error sticks.
type decoder struct {
	b   []byte
	pos int
	err error
}

var errShort = errors.New("record ends early")

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.pos:])
	if n <= 0 {
		d.err = errShort
		return 0
	}
	d.pos += n
	return v
}

func (d *decoder) int() int {
	v := d.uvarint()
	if v > math.MaxInt32 {
		d.err = fmt.Errorf("value %d out of range", v)
		return 0
	}
	return int(v)
}

func (d *decoder) byte1() byte {
	if d.err != nil || d.pos >= len(d.b) {
		d.err = errShort
		return 0
	}
	d.pos++
	return d.b[d.pos-1]
}

// span returns the position and length of the next length-prefixed field
// and skips it.
func (d *decoder) span() (int, int) {
	n := d.int()
	if d.err != nil {
		return 0, 0
	}
	if d.pos+n > len(d.b) {
		d.err = errShort
		return 0, 0
	}
	p := d.pos
	d.pos += n
	return p, n
}

func (d *decoder) bytes() []byte {
	p, n := d.span()
	if d.err != nil {
		return nil
	}
	return d.b[p : p+n]
}

func (d *decoder) str() string { return string(d.bytes()) }

// skipFloats skips n float32s written by encoder.floats and returns where
// they start.
func (d *decoder) skipFloats(n int) int {
	for d.err == nil && (d.pos+recordHeader)%4 != 0 {
		d.byte1()
	}
	if d.err != nil {
		return 0
	}
	if d.pos+4*n > len(d.b) {
		d.err = errShort
		return 0
	}
	p := d.pos
	d.pos += 4 * n
	return p
}

// decodeFloats converts little-endian float32s.
func decodeFloats(b []byte, out []float32) {
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
}
