package shell

import (
	"bytes"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Command substitution output is captured without the copies and garbage
// a growing Go buffer leaves: small output goes through a pooled chunk,
// output that outgrows it into an anonymous mapping grown with mremap
// (which moves page tables, not bytes) and unmapped at once. The result is
// copied once into a Go string of its final size; a large one is put on
// transparent huge pages, so that it costs a fork almost nothing to copy
// (a page-table entry per 2 MiB instead of one per 4 KiB).

const (
	captureChunk = 64 << 10 // pooled first buffer
	captureMap   = 1 << 20  // first size of the mapping
	pipeBig      = 1 << 20  // pipe buffer asked for a large capture
	hugeMin      = 4 << 20  // strings this large go on huge pages
	hugePage     = 2 << 20
)

var capturePool = sync.Pool{New: func() any { return new([captureChunk]byte) }}

// captureFd reads fd to end of file and returns what it read, without NUL
// bytes and trailing newlines, as command substitution wants it.
func captureFd(fd int) string {
	chunk := capturePool.Get().(*[captureChunk]byte)
	defer capturePool.Put(chunk)
	n := 0
	for n < len(chunk) {
		m, err := readFd(fd, chunk[n:])
		if m <= 0 || err != nil {
			return substString(chunk[:n])
		}
		n += m
	}
	// Larger than the chunk: move to a mapping of our own.
	unix.FcntlInt(uintptr(fd), unix.F_SETPIPE_SZ, pipeBig)
	m, err := unix.Mmap(-1, 0, captureMap, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return captureGo(fd, chunk[:n])
	}
	defer func() { unix.Munmap(m) }()
	copy(m, chunk[:n])
	for {
		if n == len(m) {
			g, err := unix.Mremap(m, 2*len(m), unix.MREMAP_MAYMOVE)
			if err != nil {
				s := captureGo(fd, m[:n])
				return s
			}
			m = g
		}
		k, err := readFd(fd, m[n:])
		if k <= 0 || err != nil {
			break
		}
		n += k
	}
	return substString(m[:n])
}

// captureGo finishes a capture in Go memory, when no mapping can be had.
func captureGo(fd int, head []byte) string {
	buf := append([]byte(nil), head...)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		k, err := readFd(fd, buf[len(buf):cap(buf)])
		if k <= 0 || err != nil {
			break
		}
		buf = buf[:len(buf)+k]
	}
	return substString(buf)
}

// substString copies b, less its NUL bytes and trailing newlines, into a
// new string of exactly that size; b may be reused afterwards.
func substString(b []byte) string {
	for len(b) > 0 && b[len(b)-1] == '\n' {
		b = b[:len(b)-1]
	}
	size := len(b) - bytes.Count(b, []byte{0})
	if size == 0 {
		return ""
	}
	out := makeBig(size)
	if size == len(b) {
		copy(out, b)
	} else {
		k := 0
		for len(b) > 0 {
			i := bytes.IndexByte(b, 0)
			if i < 0 {
				i = len(b)
			}
			k += copy(out[k:], b[:i])
			if i < len(b) {
				i++
			}
			b = b[i:]
		}
	}
	return unsafe.String(&out[0], len(out))
}

// makeBig returns a byte slice of n bytes; a large one is advised onto
// transparent huge pages before it is written (THP is often in "madvise"
// mode) and collapsed if it was already touched.
func makeBig(n int) []byte {
	out := make([]byte, n)
	if n < hugeMin {
		return out
	}
	if h := hugeSpan(out); h != nil {
		unix.Madvise(h, unix.MADV_HUGEPAGE)
	}
	return out
}

// hugeSpan returns the part of b that covers whole huge pages, or nil.
func hugeSpan(b []byte) []byte {
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := (p + hugePage - 1) &^ (hugePage - 1)
	hi := (p + uintptr(len(b))) &^ (hugePage - 1)
	if hi <= lo {
		return nil
	}
	return b[lo-p : hi-p]
}
