package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ballast is the memory --ballast holds for the life of the process: an
// anonymous mapping outside the Go heap, so the garbage collector neither
// scans it nor counts it towards its next goal.
var ballast []byte

// parseSize reads a --ballast size: plain bytes, or a number with a
// binary suffix K, M, G or T (1G is 2^30 bytes; a trailing "B" or "iB" is
// allowed: 512M, 512MB, 512MiB).
func parseSize(s string) (int64, error) {
	num := strings.ToUpper(s)
	needUnit := strings.HasSuffix(num, "IB")
	if needUnit {
		num = num[:len(num)-2]
	} else {
		num = strings.TrimSuffix(num, "B")
	}
	shift := 0
	if n := len(num); n > 0 {
		if i := strings.IndexByte("KMGT", num[n-1]); i >= 0 {
			shift = 10 * (i + 1)
			num = num[:n-1]
		}
	}
	v, err := strconv.ParseUint(num, 10, 64)
	if err != nil || num == "" || num[0] == '+' || (needUnit && shift == 0) {
		return 0, fmt.Errorf("--ballast: %q: invalid size (bytes, or a number with K, M, G or T)", s)
	}
	if v > math.MaxInt64>>shift {
		return 0, fmt.Errorf("--ballast: %q: size too large", s)
	}
	return int64(v) << shift, nil
}

// holdBallast maps size bytes of anonymous memory, asks the kernel not to
// back it with transparent huge pages (so that a fork copies one page-table
// entry per 4 KiB, as the C launchbench's "nohuge" mode does) and writes to
// every 4 KiB page so it is all resident.
func holdBallast(size int64) error {
	if size == 0 {
		return nil
	}
	if uint64(size) > uint64(math.MaxInt) {
		return fmt.Errorf("--ballast: %d bytes: too large for this platform", size)
	}
	mem, err := unix.Mmap(-1, 0, int(size), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return fmt.Errorf("--ballast: cannot map %d bytes: %w", size, err)
	}
	// Without THP configured (ENOSYS, EINVAL) the pages are 4 KiB anyway.
	unix.Madvise(mem, unix.MADV_NOHUGEPAGE)
	const page = 4096
	for off := 0; off < len(mem); off += page {
		mem[off] = byte(off/page) | 1
	}
	ballast = mem
	return nil
}
