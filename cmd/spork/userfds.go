package main

import (
	"os"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"
)

// holdUserFds keeps the descriptors a script may name, 3 to 9, out of the
// way of what spork opens for itself at start-up: the Go runtime's poller
// (an epoll and an eventfd, made on the first file opened) and the script
// file. Each free one among them is held on /dev/null until release, so
// those land above 9. A descriptor among them that the parent passed
// down open (and not close-on-exec) is left alone and returned in
// inherited, for the script to use. bash and dash keep their own
// descriptors at 10 and above the same way.
//
// Descriptors above 9 that the parent passed down open are returned in
// inherited as well: bash and dash leave them open, so that the commands
// they run inherit them (a make jobserver's pipe, a descriptor held by
// flock), and bash lets the script name them.
func holdUserFds() (inherited []int, release func()) {
	high := openAbove9()
	// null is close-on-exec: where it lands among 3 to 9, the scan below
	// takes it for an open descriptor that is not the parent's.
	null, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	var held []int
	for fd := 3; fd <= 9; fd++ {
		if open, passed := passedDown(fd); open {
			if passed {
				inherited = append(inherited, fd) // the parent's, for the script
			}
			continue
		}
		if err == nil && unix.Dup3(null, fd, unix.O_CLOEXEC) == nil {
			held = append(held, fd)
		}
	}
	inherited = append(inherited, high...)
	if err != nil {
		return inherited, func() {}
	}
	if null > 9 || null < 3 {
		unix.Close(null)
	} else {
		held = append(held, null)
	}
	// Make the poller now, while its descriptors cannot take 3 to 9.
	if f, err := os.Open("/dev/null"); err == nil {
		f.Close()
	}
	return inherited, func() {
		for _, fd := range held {
			unix.Close(fd)
		}
	}
}

// openAbove9 lists the descriptors above 9 that are open without
// close-on-exec, from /proc/self/fd (read without the os package, whose
// first open would make the runtime's poller among 3 to 9), or by probing
// up to the descriptor limit (at most 1024) without /proc.
func openAbove9() []int {
	var cands []int
	if dir, err := unix.Open("/proc/self/fd", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0); err == nil {
		buf := make([]byte, 4096)
		for {
			n, err := unix.ReadDirent(dir, buf)
			if err == unix.EINTR {
				continue
			}
			if err != nil || n <= 0 {
				break
			}
			var names []string
			_, _, names = unix.ParseDirent(buf[:n], -1, names)
			for _, name := range names {
				if fd, err := strconv.Atoi(name); err == nil && fd > 9 {
					cands = append(cands, fd)
				}
			}
		}
		unix.Close(dir)
		slices.Sort(cands)
	} else {
		limit := 1024
		var rl unix.Rlimit
		if unix.Getrlimit(unix.RLIMIT_NOFILE, &rl) == nil && rl.Cur < uint64(limit) {
			limit = int(rl.Cur)
		}
		for fd := 10; fd < limit; fd++ {
			cands = append(cands, fd)
		}
	}
	var open []int
	for _, fd := range cands {
		if _, passed := passedDown(fd); passed {
			open = append(open, fd)
		}
	}
	return open
}

// passedDown reports whether fd is open, and whether it is open without
// close-on-exec: one the parent passed down for the commands to inherit.
func passedDown(fd int) (open, passed bool) {
	flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	return err == nil, err == nil && flags&unix.FD_CLOEXEC == 0
}
