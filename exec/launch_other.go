//go:build !linux || !(amd64 || arm64)

package exec

import "golang.org/x/sys/unix"

// The launchers need the raw system call stubs of package
// exec/internal/_child, which exist for linux/amd64 and linux/arm64 only.
// Elsewhere the package builds but every launch fails with ENOSYS.
func (l *launcher) launch(s *Spec) (int, error) {
	l.stats.fail()
	return 0, &Error{Path: s.Path, Step: "launch", Errno: unix.ENOSYS}
}
