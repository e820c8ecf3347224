package exec

// Spawn is the posix_spawn-style launcher: the child is created with
// clone(CLONE_VM|CLONE_VFORK), shares the parent's memory and runs on the
// launching goroutine's stack until it execs, while the launching thread is
// suspended. Its cost does not grow with the parent's memory.
type Spawn struct{ launcher }

// Fork is the fork/exec launcher: the child is a copy-on-write copy of the
// parent (clone without CLONE_VM). Copying the page tables makes it slower
// the bigger the parent is, and holds up the Go garbage collector's
// stop-the-world phases while it lasts.
type Fork struct{ launcher }

// NewSpawn returns a new spawn launcher (a *Spawn), with statistics of its
// own.
func NewSpawn() Launcher { return &Spawn{launcher{name: "spawn", vm: true}} }

// NewFork returns a new fork launcher (a *Fork), with statistics of its own.
func NewFork() Launcher { return &Fork{launcher{name: "fork"}} }

// launcher is what Spawn and Fork share: the child routine is the same, only
// the clone flags differ.
type launcher struct {
	name  string
	vm    bool // CLONE_VM|CLONE_VFORK
	stats histogram
}

// Name returns "spawn" or "fork".
func (l *launcher) Name() string { return l.name }

// Launch starts the process described by s and returns its pid once the
// child has exec'd.
//
// The launcher never waits for its children: reaping them, the failed ones
// included, is the caller's business. So when the child was created but a
// step before exec failed in it (chdir, dup, execve...), Launch returns the
// child's pid (> 0) together with an *Error naming the step and errno; that
// child has exited with status 127 and the caller should reap and discard
// it. When the child could not be created at all, or the Spec is invalid
// (a NUL byte in a string, say), the pid is 0.
//
// Launch is safe for concurrent use.
func (l *launcher) Launch(s *Spec) (pid int, err error) { return l.launch(s) }

// Stats returns the launcher's statistics; see [StatsOf].
func (l *launcher) Stats() Stats { return l.stats.snapshot() }

// ResetStats clears the launcher's statistics.
func (l *launcher) ResetStats() { l.stats.reset() }
