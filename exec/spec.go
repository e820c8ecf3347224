// Package exec starts external programs for spork.
//
// A [Spec] describes one process in the manner of posix_spawn: the program,
// its arguments and environment, its working directory, which of the
// parent's descriptors become which of the child's, its process group and
// terminal, and its signal dispositions and mask. A [Launcher] turns a Spec
// into a running process. Two launchers exist: [Spawn] starts the child with
// clone(CLONE_VM|CLONE_VFORK), sharing the parent's memory until exec as
// posix_spawn does, and [Fork] makes a real copy-on-write copy of the parent
// first, as the classic fork/exec does. Both run the same child routine,
// which makes raw system calls only.
//
// The package knows nothing of the interpreter or of job control: it starts
// processes and reports their pids. Reaping them is the caller's business.
package exec

import (
	"os"

	"golang.org/x/sys/unix"
)

// SignalSet is a set of signal numbers 1 to 64; bit n-1 stands for signal n.
type SignalSet uint64

// Add returns the set with sig added.
func (s SignalSet) Add(sig unix.Signal) SignalSet {
	if sig < 1 || sig > 64 {
		return s
	}
	return s | 1<<(uint(sig)-1)
}

// Has reports whether sig is in the set.
func (s SignalSet) Has(sig unix.Signal) bool {
	if sig < 1 || sig > 64 {
		return false
	}
	return s&(1<<(uint(sig)-1)) != 0
}

// Spec describes a process to start. The zero value of each field means
// "as the parent has it", except Files, where a nil slice gives the child the
// parent's descriptors 0, 1 and 2, and Mask, which is always the child's
// whole signal mask (zero: nothing blocked).
type Spec struct {
	// Path is the file to execute, as execve takes it.
	Path string
	// Argv is the argument vector, Argv[0] included.
	Argv []string
	// Env is the environment, as "name=value" strings. A nil Env is the
	// parent's environment (os.Environ); an empty, non-nil one is empty.
	Env []string
	// Environ, when not nil, is the environment instead of Env: one laid
	// out in advance and shared by many launches.
	Environ *Env
	// Dir, when not empty, is the working directory the child changes to
	// before exec.
	Dir string
	// Files maps the child's descriptors to the parent's: the parent's
	// descriptor Files[i] becomes the child's descriptor i, and -1 leaves
	// descriptor i closed. Every descriptor not named here is closed in the
	// child.
	Files []int
	// Setpgid asks for the child to be put in process group Pgid, or in a
	// new group of its own when Pgid is 0. The parent sets the group too
	// (after the clone), so neither side races the other.
	Setpgid bool
	Pgid    int
	// Foreground hands the terminal TTY to the child's process group before
	// exec (tcsetpgrp, done with SIGTTOU blocked). It needs Setpgid.
	Foreground bool
	TTY        int
	// Default lists the signals to reset to SIG_DFL in the child: every
	// signal the shell catches or ignores for its own sake.
	Default SignalSet
	// Ignore lists the signals set to SIG_IGN in the child (what the user
	// ignored with trap '' SIG, or SIGINT and SIGQUIT for background jobs
	// of a non-interactive shell).
	Ignore SignalSet
	// Mask is the child's signal mask at exec.
	Mask SignalSet
	// Umask is the child's file mode creation mask, applied only when
	// UmaskSet is true.
	Umask    int
	UmaskSet bool
}

// Launcher starts processes described by a Spec.
type Launcher interface {
	// Launch starts the process and returns its pid once the child has
	// exec'd, or an *Error if any step before exec failed in the child.
	Launch(s *Spec) (pid int, err error)
	// Name is the launcher's short name: "fork" or "spawn".
	Name() string
}

// envp returns the child's environment as execve takes it.
func (s *Spec) envp() ([]*byte, error) {
	if s.Environ != nil {
		return s.Environ.ptrs, nil
	}
	env := s.Env
	if env == nil {
		env = os.Environ()
	}
	return cStrings(env)
}
