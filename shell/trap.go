package shell

import (
	"maps"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/spork-sh/spork/exec"
	"golang.org/x/sys/unix"
)

// signals is the process-wide signal state: which dispositions the shell
// changed for itself, and which trapped signals are pending.
type signals struct {
	sh       *Shell
	changed  exec.SignalSet // ignored by the shell for itself: reset in children
	pending  atomic.Bool
	mu       sync.Mutex
	caught   [65]bool
	trapped  exec.SignalSet  // signals with a trap command
	byJobs   exec.SignalSet  // caught for job control (interactive ^C, ^Z, hangup)
	byUser   exec.SignalSet  // ever ignored with trap '': reset in children unless still ignored
	barriers []chan struct{} // closed when the barrier signal comes through (see flush)
	chld     int             // children ended since the CHLD trap last ran (see childEnded)
	ch       chan os.Signal
	loopOnce sync.Once     // starts loop with the first trap
	wake     chan struct{} // closed and replaced when a trapped signal arrives
	handled  chan struct{} // closed and replaced after each signal is handled
}

// fatalByDefault are signals that kill a shell by default but that Go
// would otherwise swallow or turn into a stack dump. spork gives them back
// their kernel default action at start-up (see kernelDefault), and catches
// one only while a trap is set for it. SIGXFSZ is not one: the shell
// catches it, so that a write past ulimit -f fails (EFBIG) as in osh,
// while the programs it runs get the default action.
var fatalByDefault = []os.Signal{
	unix.SIGQUIT, unix.SIGUSR1, unix.SIGUSR2, unix.SIGALRM, unix.SIGVTALRM,
	unix.SIGXCPU, unix.SIGPWR, unix.SIGSTKFLT, unix.SIGSYS,
	unix.SIGTRAP, unix.SIGABRT,
}

func newSignals(sh *Shell) *signals {
	s := &signals{sh: sh, ch: make(chan os.Signal, 16), wake: make(chan struct{}), handled: make(chan struct{})}
	for _, sig := range fatalByDefault {
		if s.ignoredBySelf(sig.(unix.Signal)) {
			signal.Ignore(sig)
			s.changed = s.changed.Add(sig.(unix.Signal))
			continue
		}
		kernelDefault(sig.(unix.Signal))
	}
	// Before any child exists: while signal.Ignore has it at SIG_IGN, an
	// exiting child would be reaped by the kernel.
	kernelDefault(unix.SIGCHLD)
	return s
}

// notify relays sig to the shell's handler goroutine, started on first use
// (a shell without traps runs none: signal.Notify costs a thread and a
// round trip to it per signal, a good part of a -c start-up).
func (s *signals) notify(sig unix.Signal) {
	s.loopOnce.Do(func() { go s.loop() })
	signal.Notify(s.ch, sig)
}

func (s *signals) loop() {
	for sig := range s.ch {
		n := sig.(syscall.Signal)
		if unix.Signal(n) == barrierSignal && !s.hasTrap(barrierSignal) {
			s.mu.Lock()
			for _, w := range s.barriers {
				close(w)
			}
			s.barriers = nil
			s.mu.Unlock()
			continue
		}
		s.mu.Lock()
		trapped := s.trapped.Has(unix.Signal(n))
		forJobs := s.byJobs.Has(unix.Signal(n))
		if trapped {
			s.caughtLocked(unix.Signal(n))
		}
		s.mu.Unlock()
		if !trapped && forJobs {
			if !s.sh.jobSignal(unix.Signal(n)) {
				dieBySignal(unix.Signal(n))
			}
		} else if !trapped && !s.ignoredBySelf(unix.Signal(n)) {
			dieBySignal(unix.Signal(n))
		}
		s.mu.Lock()
		close(s.handled)
		s.handled = make(chan struct{})
		s.mu.Unlock()
	}
}

// forJobControl sets up the signals of an interactive shell with job
// control: it truly ignores SIGTTOU and SIGTTIN (so it can take the terminal
// back) and SIGTERM, and catches ^C, ^Z and hangups for its jobs. Children
// get every one of them back at its default.
func (s *signals) forJobControl(interactive bool) {
	if !interactive {
		return
	}
	signal.Ignore(unix.SIGTTOU, unix.SIGTTIN, unix.SIGTERM)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changed = s.changed.Add(unix.SIGTTOU).Add(unix.SIGTTIN).Add(unix.SIGTERM)
	s.byJobs = s.byJobs.Add(unix.SIGINT).Add(unix.SIGTSTP).Add(unix.SIGHUP)
	for _, sig := range []unix.Signal{unix.SIGINT, unix.SIGTSTP, unix.SIGHUP} {
		s.changed = s.changed.Add(sig)
		if !s.trapped.Has(sig) {
			s.notify(sig)
		}
	}
}

// resetInChildren is the set of signals a child gets back at their default
// (before the ones its traps ignore are taken out): those the shell changed
// for itself, and those a trap ” ever ignored (the runtime cannot give a
// signal back its default once ignored).
func (s *signals) resetInChildren() exec.SignalSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed | s.byUser
}

// handledChan returns a channel closed after the next signal is handled.
func (s *signals) handledChan() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.handled
}

// barrierSignal is what flush sends the shell itself. Signals are handed
// to the shell lowest number first, so when it comes through, every signal
// that arrived before it has been recorded.
const barrierSignal = unix.Signal(62) // SIGRTMAX-2

// flush makes sure that a trapped signal sent during the last command (by
// a child, say, just before it exited) has been recorded. It costs a
// signal to itself and a round trip to the handler goroutine, and nothing
// when no signal is trapped; it is done after each external command and
// when the shell exits (after a builtin, a trap may run one command late,
// never not at all).
func (s *signals) flush() {
	s.mu.Lock()
	if s.trapped == 0 || s.trapped.Has(barrierSignal) {
		// nothing to flush, or the barrier would only run a trap
		s.mu.Unlock()
		return
	}
	w := make(chan struct{})
	s.barriers = append(s.barriers, w)
	s.mu.Unlock()
	s.notify(barrierSignal)
	runtime.LockOSThread()
	// To this thread: the kernel hands it, before the call returns, the
	// barrier and any signal still pending for the process.
	err := unix.Tgkill(unix.Getpid(), unix.Gettid(), barrierSignal)
	runtime.UnlockOSThread()
	if err != nil {
		return
	}
	select {
	case <-w:
	case <-time.After(time.Second):
	}
}

// hasTrap reports whether a trap command is set for sig.
func (s *signals) hasTrap(sig unix.Signal) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.trapped.Has(sig)
}

// catches reports whether the shell catches sig with a trap (an untrapped
// signal that kills the shell does so in the kernel, at once).
func (s *signals) catches(sig unix.Signal) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.trapped.Has(sig) || s.byJobs.Has(sig)
}

func (s *signals) ignoredBySelf(sig unix.Signal) bool {
	return s.sh.Interactive && (sig == unix.SIGQUIT)
}

// childEnded is told of each child of the shell that ends, before the
// command or job it belongs to is seen to end: with a CHLD trap, the
// trap is due once more.
func (s *signals) childEnded() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.trapped.Has(unix.SIGCHLD) {
		return
	}
	s.chld++
	s.caughtLocked(unix.SIGCHLD)
}

// onlyChild reports whether the trapped signals that arrived are only
// SIGCHLD, whose trap does not interrupt wait (bash).
func (s *signals) onlyChild() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 1; i < len(s.caught); i++ {
		if s.caught[i] && i != int(unix.SIGCHLD) {
			return false
		}
	}
	return true
}

// raise records a trapped sig as arrived, for a signal the shell took
// back from the kernel (see writeFdNoSigpipe).
func (s *signals) raise(sig unix.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.trapped.Has(sig) {
		s.caughtLocked(sig)
	}
}

// caughtLocked records that trapped sig arrived, for the trap to run at
// the next check, and wakes whoever waits for a trapped signal (s.mu
// held).
func (s *signals) caughtLocked(sig unix.Signal) {
	s.caught[sig] = true
	s.pending.Store(true)
	close(s.wake)
	s.wake = make(chan struct{})
}

// wakeChan returns a channel closed when the next trapped signal arrives.
func (s *signals) wakeChan() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wake
}

// dieBySignal restores the default action of sig and sends it to the
// process, so the parent sees a death by that signal.
func dieBySignal(sig unix.Signal) {
	var sa [4]uint64 // struct kernel_sigaction: handler, flags, restorer, mask
	unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&sa[0])), 0, 8, 0, 0)
	var set [1]uint64
	set[0] = 1 << (uint(sig) - 1)
	unix.RawSyscall6(unix.SYS_RT_SIGPROCMASK, uintptr(unix.SIG_UNBLOCK), uintptr(unsafe.Pointer(&set[0])), 0, 8, 0, 0)
	unix.Kill(os.Getpid(), sig)
	unix.Tgkill(os.Getpid(), unix.Gettid(), sig)
	os.Exit(128 + int(sig))
}

// trapTable is one state's traps: a command per signal ("" ignores it).
// Index 0 is the EXIT trap.
type trapTable struct {
	cmds    map[int]string
	ignored exec.SignalSet
	// inherited are the parent's traps, which `trap` without arguments
	// still lists in a command substitution until it sets a trap of its
	// own, so that saved=$(trap) works (POSIX allows exactly this case).
	inherited map[int]string
}

func newTrapTable() *trapTable { return &trapTable{cmds: map[int]string{}} }

// clone returns a copy of the traps.
func (t *trapTable) clone() *trapTable {
	return &trapTable{cmds: maps.Clone(t.cmds), ignored: t.ignored, inherited: t.inherited}
}

// forCmdSubst returns the traps of a command substitution: those of a
// subshell, listing the parent's.
func (t *trapTable) forCmdSubst() *trapTable {
	c := t.forSubshell()
	if len(t.cmds) > 0 {
		c.inherited = maps.Clone(t.cmds) // the parent may change its own
	}
	return c
}

// forSubshell returns the traps a subshell starts with: ignored signals
// stay ignored, commands are reset.
func (t *trapTable) forSubshell() *trapTable {
	c := newTrapTable()
	c.ignored = t.ignored
	for sig, cmd := range t.cmds {
		if cmd == "" && sig != 0 {
			c.cmds[sig] = ""
		}
	}
	return c
}

// keepTraced gives a subshell's traps c the ERR trap of t under set -E
// (errtrace) and the DEBUG and RETURN traps under set -T (functrace), as
// bash does for subshells and command substitutions.
func (c *trapTable) keepTraced(t *trapTable, o *options) {
	keep := func(sig int) {
		if cmd, ok := t.cmds[sig]; ok {
			c.cmds[sig] = cmd
		}
	}
	if o.errtrace {
		keep(trapERR)
	}
	if o.functrace {
		keep(trapDEBUG)
		keep(trapRETURN)
	}
}

// setTrap installs a trap; action "-" resets, "" ignores.
func (r *Runner) setTrap(sig int, action string, reset bool) {
	t := r.traps
	s := r.sh.sig
	if sig == int(unix.SIGPIPE) && r.subshellDepth == 0 {
		defer func() { sigpipeTrapped.Store(s.hasTrap(unix.SIGPIPE)) }()
	}
	t.inherited = nil
	if reset {
		delete(t.cmds, sig)
		if sig > 0 && sig <= 64 {
			t.ignored &^= 1 << uint(sig-1)
			if r.subshellDepth == 0 {
				s.mu.Lock()
				s.trapped &^= 1 << uint(sig-1)
				s.mu.Unlock()
				r.restoreDisposition(unix.Signal(sig))
			}
		}
		return
	}
	t.cmds[sig] = action
	if sig == 0 || sig > 64 {
		return
	}
	bit := exec.SignalSet(1) << uint(sig-1)
	if action == "" {
		t.ignored |= bit
		if r.subshellDepth == 0 {
			s.mu.Lock()
			s.trapped &^= bit
			s.byUser |= bit
			s.mu.Unlock()
			if sig != int(unix.SIGCHLD) {
				// (an ignored SIGCHLD would have the kernel reap the
				// children, their statuses lost: spork keeps it, for
				// its children to inherit only)
				signal.Ignore(syscall.Signal(sig))
			}
		}
		return
	}
	t.ignored &^= bit
	if r.subshellDepth == 0 {
		s.mu.Lock()
		s.trapped |= bit
		s.mu.Unlock()
		if sig != int(unix.SIGCHLD) {
			// the CHLD trap runs once for each child that ends, as in
			// bash: the reaper counts them (see childEnded), not the
			// signal, which the kernel merges
			s.notify(unix.Signal(sig))
		}
	}
}

// restoreDisposition puts back the shell's own handling of sig after
// trap - sig.
func (r *Runner) restoreDisposition(sig unix.Signal) {
	s := r.sh.sig
	s.mu.Lock()
	forJobs := s.byJobs.Has(sig)
	s.mu.Unlock()
	if forJobs {
		s.notify(sig)
		return
	}
	if r.sh.sig.changed.Has(sig) {
		signal.Ignore(syscall.Signal(sig))
		return
	}
	s.mu.Lock()
	byUser := s.byUser.Has(sig)
	s.mu.Unlock()
	if sig == unix.SIGCHLD || byUser {
		kernelDefault(sig) // signal.Reset does not undo signal.Ignore
		return
	}
	for _, f := range fatalByDefault {
		if f == sig {
			kernelDefault(sig)
			return
		}
	}
	signal.Reset(syscall.Signal(sig))
}

// runPendingTraps runs the trap commands of signals that arrived.
func (r *Runner) runPendingTraps() {
	if c := r.sh.comp; c != nil && c.abort.Load() {
		// a completion function ran too long: unwind it (see
		// [Runner.callCompletion]); the flag stays set until it is out
		if r.ctl == ctlNone {
			r.ctl = ctlReturn
		}
		return
	}
	if r.subshellDepth > 0 {
		return
	}
	// (a signal that comes while a trap runs has its trap run then, as
	// in bash and dash: traps nest)
	s := r.sh.sig
	s.mu.Lock()
	var todo []int
	for i := 1; i < len(s.caught); i++ {
		if s.caught[i] {
			s.caught[i] = false
			todo = append(todo, i)
		}
	}
	chld := s.chld
	s.chld = 0
	s.pending.Store(false)
	s.mu.Unlock()
	for _, sig := range todo {
		cmd, ok := r.traps.cmds[sig]
		if !ok || cmd == "" {
			continue
		}
		n := 1
		if sig == int(unix.SIGCHLD) {
			n = max(chld, 1) // once per child, as in bash
		}
		for range n {
			r.runTrap(cmd)
			if r.ctl == ctlExit {
				return
			}
		}
	}
}

// runTrap runs a trap's command, keeping $? as it was.
func (r *Runner) runTrap(cmd string) {
	saved := r.lastStatus
	wasInTrap, cur := r.inTrap, r.curStmt
	if !wasInTrap {
		r.trapStmt = cur // $BASH_COMMAND while the trap runs
	}
	r.inTrap = true
	prevSaved := r.trapStatus
	r.trapStatus = saved
	r.evalString(cmd, "trap")
	r.inTrap = wasInTrap
	r.trapStatus = prevSaved
	r.curStmt = cur
	if r.ctl != ctlExit && r.ctl != ctlReturn {
		// (return in a trap ends the function with its own status)
		r.lastStatus = saved
	}
}

// runExitTrap runs the EXIT trap once.
func (r *Runner) runExitTrap() {
	cmd, ok := r.traps.cmds[0]
	if !ok || cmd == "" {
		return
	}
	delete(r.traps.cmds, 0)
	st := r.lastStatus
	ctl, code := r.ctl, r.exitCode
	r.ctl = ctlNone
	r.inExitTrap = true
	r.runTrap(cmd)
	r.inExitTrap = false
	if r.ctl == ctlExit {
		return
	}
	r.ctl, r.exitCode, r.lastStatus = ctl, code, st
}

// signalNumber parses a signal name (INT, SIGINT, int) or number.
func signalNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		if n >= 0 && n <= 64 {
			return n, true
		}
		return 0, false
	}
	u := strings.ToUpper(s)
	u = strings.TrimPrefix(u, "SIG")
	switch u {
	case "EXIT":
		return 0, true
	case "ERR":
		return trapERR, true
	case "DEBUG":
		return trapDEBUG, true
	case "RETURN":
		return trapRETURN, true
	}
	for n := 1; n <= 64; n++ {
		if signalName(n) == u {
			return n, true
		}
	}
	return 0, false
}

// signalName is a signal's name without SIG (RTMIN+n for realtime ones).
func signalName(n int) string {
	switch n {
	case 0:
		return "EXIT"
	case trapERR:
		return "ERR"
	case trapDEBUG:
		return "DEBUG"
	case trapRETURN:
		return "RETURN"
	}
	switch {
	case n == 34:
		return "RTMIN"
	case n > 34 && n < 50:
		return "RTMIN+" + strconv.Itoa(n-34)
	case n >= 50 && n < 64:
		return "RTMAX-" + strconv.Itoa(64-n)
	case n == 64:
		return "RTMAX"
	}
	name := unix.SignalName(syscall.Signal(n))
	if name == "" {
		return strconv.Itoa(n)
	}
	return strings.TrimPrefix(name, "SIG")
}

// Pseudo-signals of trap beyond the real ones.
const (
	trapERR    = 65
	trapDEBUG  = 66
	trapRETURN = 67
)
