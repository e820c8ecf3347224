package exec

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// interim is a stand-in launcher on syscall.ForkExec, used until the raw
// clone launchers land. It honours argv, env, dir, files and process group.
type interim struct{ name string }

// NewSpawn returns the spawn-style launcher.
func NewSpawn() Launcher { return interim{"spawn"} }

// NewFork returns the fork/exec launcher.
func NewFork() Launcher { return interim{"fork"} }

func (l interim) Name() string { return l.name }

func (l interim) Launch(s *Spec) (int, error) {
	files := []uintptr{0, 1, 2}
	if s.Files != nil {
		files = make([]uintptr, len(s.Files))
		for i, fd := range s.Files {
			files[i] = uintptr(fd)
		}
	}
	attr := &syscall.ProcAttr{
		Dir:   s.Dir,
		Env:   s.Env,
		Files: files,
		Sys: &syscall.SysProcAttr{
			Setpgid:    s.Setpgid,
			Pgid:       s.Pgid,
			Foreground: s.Foreground,
			Ctty:       s.TTY,
		},
	}
	pid, err := syscall.ForkExec(s.Path, s.Argv, attr)
	if err != nil {
		var errno syscall.Errno
		if errors.As(err, &errno) {
			return 0, &Error{Path: s.Path, Step: "execve", Errno: unix.Errno(errno)}
		}
		return 0, err
	}
	return pid, nil
}
