package bench

import "testing"

// BenchmarkMemoryRead sums a 512 MiB buffer, far larger than the caches,
// with the kernel MeasureBandwidth uses: its MB/s is the read bandwidth of
// one core, the limit for BenchmarkVectorScan in package retrieval.
func BenchmarkMemoryRead(b *testing.B) {
	a := make([]uint64, 512<<20/8)
	for i := range a {
		a[i] = uint64(i)
	}
	b.SetBytes(int64(len(a) * 8))
	for b.Loop() {
		sink += sumWords(a)
	}
}
