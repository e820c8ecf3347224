package main

import (
	"os"

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
func holdUserFds() (inherited []int, release func()) {
	// null is close-on-exec: where it lands among 3 to 9, the scan below
	// takes it for an open descriptor that is not the parent's.
	null, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	var held []int
	for fd := 3; fd <= 9; fd++ {
		if flags, ferr := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); ferr == nil {
			if flags&unix.FD_CLOEXEC == 0 {
				inherited = append(inherited, fd) // the parent's, for the script
			}
			continue
		}
		if err == nil && unix.Dup3(null, fd, unix.O_CLOEXEC) == nil {
			held = append(held, fd)
		}
	}
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
