package shell

import (
	"os"
	"strconv"
	"strings"

	"github.com/spork-sh/spork/exec"
	"github.com/spork-sh/spork/jobs"
	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/syntax"
)

// Job control, as an interactive shell (or set -m) does it: every job gets
// a process group, the foreground job gets the terminal, and the shell takes
// the terminal back, with its own modes, when the job ends or stops.
//
// The interpreter is never forked, so a job's in-process part is a goroutine
// on its own state. A foreground job at the prompt runs on a twin of the
// shell's state; when it ends, the shell adopts the twin (so `cd` and
// assignments take effect); when it stops, the shell goes on with its state
// from before the job, and the job keeps the twin, as a forked job would.

// startJobControl puts an interactive shell (or one with set -m) in its own
// process group, takes the terminal and records the shell's terminal modes.
// A non-interactive shell gets process groups for its jobs but leaves the
// terminal alone.
func (r *Runner) startJobControl() {
	sh := r.sh
	r.opts.monitor = true
	if sh.jobControl {
		return
	}
	if sh.Interactive && sh.tty < 0 {
		sh.tty = openTerminal()
	}
	if sh.tty >= 0 {
		// Wait to be in the foreground, as a job of our parent shell.
		for i := 0; i < 50; i++ {
			pg, err := unix.IoctlGetInt(sh.tty, unix.TIOCGPGRP)
			if err != nil || pg == unix.Getpgrp() {
				break
			}
			unix.Kill(0, unix.SIGTTIN)
		}
	}
	sh.sig.forJobControl(sh.Interactive)
	sh.origPgid = unix.Getpgrp()
	if sh.tty >= 0 && sh.origPgid != sh.pid {
		unix.Setpgid(0, 0)
	}
	sh.pgid = unix.Getpgrp()
	if sh.tty >= 0 {
		unix.IoctlSetPointerInt(sh.tty, unix.TIOCSPGRP, sh.pgid)
		if t, err := unix.IoctlGetTermios(sh.tty, unix.TCGETS); err == nil {
			sh.modes = t
		}
	}
	sh.jobControl = true
}

// endJobControl gives the terminal back to the process group that had it
// when the shell started, as the shell exits.
func (sh *Shell) endJobControl() {
	if !sh.jobControl || sh.tty < 0 || sh.origPgid == sh.pgid {
		return
	}
	sh.takeTerminal(true)
	unix.Setpgid(0, sh.origPgid)
	unix.IoctlSetPointerInt(sh.tty, unix.TIOCSPGRP, sh.origPgid)
}

// stopJobControl is set +m: jobs no longer get groups of their own.
func (r *Runner) stopJobControl() {
	r.sh.jobControl = false
}

// openTerminal returns a close-on-exec descriptor of the controlling
// terminal, above the ones scripts use, or -1.
func openTerminal() int {
	fd, err := unix.Open("/dev/tty", unix.O_RDWR|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
	if err != nil {
		return -1
	}
	if !isTerminal(fd) {
		unix.Close(fd)
		return -1
	}
	hi, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 10)
	unix.Close(fd)
	if err != nil {
		return -1
	}
	return hi
}

// takeTerminal gives the terminal back to the shell, and with restore its
// saved modes too.
func (sh *Shell) takeTerminal(restore bool) {
	if sh.tty < 0 {
		return
	}
	sh.ttyMu.Lock()
	defer sh.ttyMu.Unlock()
	unix.IoctlSetPointerInt(sh.tty, unix.TIOCSPGRP, sh.pgid)
	if restore && sh.modes != nil {
		unix.IoctlSetTermios(sh.tty, unix.TCSETSW, sh.modes)
	}
}

// keepTerminalModes makes the terminal's current modes the shell's own, as
// after a command such as stty ended normally.
func (sh *Shell) keepTerminalModes() {
	if sh.tty < 0 {
		return
	}
	if t, err := unix.IoctlGetTermios(sh.tty, unix.TCGETS); err == nil {
		sh.modes = t
	}
}

// takeTerminalAfter gives the terminal back to the shell after the last
// running process of j ended, if j is still in the foreground: a job that
// stopped meanwhile was dealt with by the shell, and the terminal may be
// another job's by now.
func (sh *Shell) takeTerminalAfter(j *job) {
	if sh.tty < 0 {
		return
	}
	sh.ttyMu.Lock()
	defer sh.ttyMu.Unlock()
	if j.isForeground() {
		unix.IoctlSetPointerInt(sh.tty, unix.TIOCSPGRP, sh.pgid)
	}
}

// takeTerminalForShellPart gives the terminal to the shell's own process
// group while j, in the foreground, reads it from the shell's process (the
// read builtin): after fg, or while another process of the job runs, the
// terminal is the job's group's. It reports whether it changed the
// terminal's group.
func (sh *Shell) takeTerminalForShellPart(j *job) bool {
	if sh.tty < 0 {
		return false
	}
	sh.ttyMu.Lock()
	defer sh.ttyMu.Unlock()
	if !j.isForeground() {
		return false
	}
	pg, err := unix.IoctlGetInt(sh.tty, unix.TIOCGPGRP)
	if err != nil || pg == sh.pgid {
		return false
	}
	return unix.IoctlSetPointerInt(sh.tty, unix.TIOCSPGRP, sh.pgid) == nil
}

// reclaimTerminal takes the terminal back for the shell when the process
// group that has it is that of a job no longer in the foreground (stopped,
// or sent to the background; j, or one in the job table), while no job is
// in the foreground. It reports whether it took the terminal.
//
// This happens when a ^Z reaches a compound job between two of its
// commands: the shell catches the SIGTSTP and stops the job's goroutine,
// which may be launching its next command in the foreground at that
// moment. The new process hands the terminal to the job's group in the
// child, before exec, which can come after the shell took the terminal
// back at the stop; the shell would then read at the prompt from a
// terminal it no longer has, and get EIO (the line editor gave up for
// good on that, and the keys typed next were lost). So the launch calls
// this when it returns to a job that lost the foreground, and the line
// editor calls it when a read fails.
func (sh *Shell) reclaimTerminal(j *job) bool {
	if sh.tty < 0 {
		return false
	}
	sh.ttyMu.Lock()
	defer sh.ttyMu.Unlock()
	if f := sh.fgJob.Load(); f != nil && f.isForeground() {
		return false
	}
	pg, err := unix.IoctlGetInt(sh.tty, unix.TIOCGPGRP)
	if err != nil || pg == sh.pgid {
		return false
	}
	var cands []*job
	if sh.jobs != nil {
		cands = sh.jobs.all()
	}
	if j != nil {
		cands = append(cands, j)
	}
	for _, c := range cands {
		c.mu.Lock()
		stale := c.grouped && c.pgid == pg && !c.fg
		c.mu.Unlock()
		if stale {
			return unix.IoctlSetPointerInt(sh.tty, unix.TIOCSPGRP, sh.pgid) == nil
		}
	}
	return false
}

// continueInForeground gives j the terminal and continues it, as fg does.
// The two go together under ttyMu, so that no reclaim of the terminal
// comes between them.
func (sh *Shell) continueInForeground(j *job) {
	sh.ttyMu.Lock()
	defer sh.ttyMu.Unlock()
	sh.giveTerminal(j)
	j.resume(true)
}

// giveTerminal hands the terminal to j's group with the modes j had when it
// stopped. The caller holds ttyMu.
func (sh *Shell) giveTerminal(j *job) {
	if sh.tty < 0 {
		return
	}
	j.mu.Lock()
	modes, pgid := j.modes, j.pgid
	j.mu.Unlock()
	if modes != nil {
		unix.IoctlSetTermios(sh.tty, unix.TCSETSW, modes)
	}
	if pgid > 0 {
		unix.IoctlSetPointerInt(sh.tty, unix.TIOCSPGRP, pgid)
	}
}

// runsAsForegroundJob reports whether s, run by r, is a job of its own: a
// command typed at an interactive shell with job control.
func (r *Runner) runsAsForegroundJob() bool {
	return r.sh.jobControl && r.sh.tty >= 0 && r.job == nil && r.subshellDepth == 0
}

// foregroundJob runs s as a foreground job on a twin of r's state and waits
// until it ends (r adopts the twin) or stops (r goes on without it).
func (r *Runner) foregroundJob(s *syntax.Stmt) {
	r.sh.commands++
	// Even a single command gets a group holder: a ^Z that stops the
	// command's process between clone and exec (its launch cannot return
	// then) stops the holder too, and so the job.
	j := newJob(jobText(s), true)
	j.grouped = true
	jr := r.twin()
	jr.job = j
	// The job is the foreground one before it starts: a ^C or ^Z the shell
	// catches as soon as the job has printed something must reach it, and
	// so must one caught since the previous job of the line ended.
	prev := r.sh.fgJob.Swap(j)
	defer r.sh.fgJob.Store(prev)
	if sig := r.sh.pendingForegroundSignal(); sig != 0 {
		j.takeSignal(sig)
	}
	go func() {
		jr.guard(func() { jr.stmt(s) })
		st := jr.lastStatus
		if jr.ctl == ctlExit {
			st = jr.exitCode
		}
		if j.isDetached() {
			jr.release()
		}
		j.finish(st)
	}()
	st, stopped := r.waitForeground(j)
	if stopped {
		r.lastStatus = st
		return
	}
	r.adopt(jr)
	// The job was aborted when the abort ended its in-process part, or
	// a process of it died of the signal. A holder's death by a ^C that
	// came after the job's last command (reaped after the death of a
	// program that caught the ^C and exited) leaves the job's status.
	a := j.pendingAbort()
	ended := a != 0 && r.ctl == ctlExit && r.exitCode == 128+a
	if ended {
		r.ctl = ctlNone
	}
	aborted := ended || a != 0 && j.interruptedBy() == a
	if aborted {
		r.lastStatus = 128 + a
	}
	intr := aborted && a == int(unix.SIGINT) || j.killedBy() == unix.SIGINT
	if intr && r.traps.cmds[int(unix.SIGINT)] == "" {
		// as bash: a job killed by ^C ends the command line (in
		// "make; ./run", ^C in make must not start ./run), unless INT
		// is trapped; a program that catches ^C and exits is no such job
		r.sh.lineInterrupted = true
	}
}

// jobText is a job's command on one line, as jobs shows it.
func jobText(n syntax.Node) string {
	var b strings.Builder
	syntax.NewPrinter(syntax.SingleLine(true)).Print(&b, n)
	return strings.TrimSpace(b.String())
}

// waitForeground waits until the foreground job j ends or stops, then takes
// the terminal back. It returns the job's status, or 128 plus the stopping
// signal and true when it stopped. The caller made j sh.fgJob.
func (r *Runner) waitForeground(j *job) (int, bool) {
	for {
		state, ch := j.snapshot()
		switch state {
		case jobDone:
			return r.foregroundEnded(j), false
		case jobStopped:
			return r.foregroundStopped(j), true
		}
		<-ch
	}
}

// foregroundEnded takes the terminal back after a foreground job ended: with
// the shell's modes after a death by a signal (which it reports, as bash
// does), keeping the job's after a normal end (so stty works).
func (r *Runner) foregroundEnded(j *job) int {
	sh := r.sh
	sig := j.killedBy()
	sh.takeTerminal(sig != 0)
	if sig == 0 {
		sh.keepTerminalModes()
	}
	r.jobs.remove(j)
	if sig != 0 && sh.Interactive {
		switch sig {
		case unix.SIGINT:
			r.errWrite("\n")
		case unix.SIGPIPE:
		default:
			msg := signalDescription(sig)
			if j.coreDumped() {
				msg += " (core dumped)"
			}
			r.errWrite(msg + "\n")
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.status
}

// foregroundStopped saves a stopped foreground job's terminal modes, takes
// the terminal back with the shell's, lists the job and returns 128 plus
// the stopping signal.
func (r *Runner) foregroundStopped(j *job) int {
	sh := r.sh
	if sh.tty >= 0 {
		if t, err := unix.IoctlGetTermios(sh.tty, unix.TCGETS); err == nil {
			j.mu.Lock()
			j.modes = t
			j.mu.Unlock()
		}
	}
	sh.takeTerminal(true)
	r.jobs.add(j)
	r.errWrite("\n" + r.jobs.line(j, false))
	j.mu.Lock()
	defer j.mu.Unlock()
	j.notified = true
	return 128 + int(j.stopSig)
}

// coreDumped reports whether the job's last process dumped core.
func (j *job) coreDumped() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i := len(j.procs) - 1; i >= 0; i-- {
		if p := j.procs[i]; p.state == jobDone {
			return p.ws.Signaled() && p.ws.CoreDump()
		}
	}
	return false
}

// twin returns a copy of r that a foreground job runs on: the same shell
// level, with everything shared copy-on-write.
func (r *Runner) twin() *Runner {
	c := *r
	c.lc = nil // the twin may run beside r (a stopped job sent to the background)
	c.vs = r.vs.share()
	c.funcs = r.funcs.share()
	c.aliases = r.aliases.share()
	c.hash = r.hash.share()
	c.fds = r.fds.clone()
	c.traps = r.traps.clone()
	c.shopts = cloneShopts(r.shopts)
	c.rebindExpand(r)
	return &c
}

// adopt makes the state of a finished twin the shell's own.
func (r *Runner) adopt(c *Runner) {
	r.release()
	*r = *c
	r.rebindExpand(c)
	r.job = nil
}

// detach makes a job the shell went on without behave as a subshell.
func (r *Runner) detach() {
	if r.subshellDepth == 0 {
		r.subshellDepth = 1
		r.opts.interactive = false
	}
}

// jobAttention handles a stop or abort of r's job before the next command:
// it waits while the job is stopped, and reports true when the job must
// end.
func (r *Runner) jobAttention() bool {
	j := r.job
	j.waitRunning()
	if j.isDetached() {
		r.detach()
	}
	if sig := j.pendingAbort(); sig != 0 {
		r.exit(128 + sig)
		return true
	}
	return false
}

// groupHolderEnv marks a process started to hold a job's group alive; its
// value is the pid of the shell that started it.
const groupHolderEnv = "SPORK_INTERNAL_JOB_GROUP_HOLDER"

// HoldJobGroupIfAsked turns this process into the holder of a job's process
// group when the shell started it as one (see [Runner] job control): it
// sleeps until a signal ends it, or its shell ends. Otherwise it returns at
// once. The spork command calls it first thing.
func HoldJobGroupIfAsked() {
	shell, err := strconv.Atoi(os.Getenv(groupHolderEnv))
	if err != nil || len(os.Args) == 0 || os.Args[0] != "spork-job-group" {
		return
	}
	// The shell kills its holders, but a shell killed by SIGKILL cannot:
	// the kernel then ends the holder with it. A shell gone before the
	// request is seen at once (the holder's parent is then another).
	unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0)
	if unix.Getppid() != shell {
		os.Exit(0)
	}
	for {
		unix.Pause()
	}
}

// startHolder starts the process that leads j's group and keeps it alive
// while j lives, so that every later process of a compound job can join
// the same group.
func (r *Runner) startHolder(j *job) {
	path, err := os.Executable()
	if err != nil || !fileExists(path) {
		path = "/proc/self/exe"
	}
	spec := &exec.Spec{
		Path:    path,
		Argv:    []string{"spork-job-group"},
		Env:     []string{groupHolderEnv + "=" + strconv.Itoa(r.sh.pid)},
		Dir:     "/",
		Files:   []int{-1, -1, -1},
		Setpgid: true,
		Default: ^exec.SignalSet(0),
	}
	r.sh.reaper.Launching()
	pid, err := r.sh.holders.Launch(spec)
	r.sh.reaper.Launched()
	if err != nil {
		if pid > 0 {
			r.sh.reaper.Forget(pid)
		}
		return
	}
	go watchHolder(r.sh.reaper.Watch(pid), j)
	j.mu.Lock()
	j.holder, j.pgid = pid, pid
	if j.pid == 0 {
		j.pid = pid
	}
	j.mu.Unlock()
}

// watchHolder reaps a job's group holder. A signal that reaches the group
// reaches the job's in-process part through it: ^Z stops it (the job is
// stopped once its processes are too), ^C or kill ends it. A ^C or ^\
// typed while a process of the job runs is that process's to take: the
// job ends when the process dies of it (see waitPid), not when it catches
// it and goes on or exits, as in bash.
func watchHolder(ch *jobs.Child, j *job) {
	for {
		ws := ch.Next()
		switch {
		case ws.Stopped():
			j.groupStopped(ws.StopSignal())
		case ws.Continued():
		default:
			ch.Exit()
			if ws.Signaled() && !(interruptKey(ws.Signal()) && j.liveProcs() > 0) {
				j.abortWith(ws.Signal())
			}
			return
		}
	}
}

// interruptKey reports whether sig is one the terminal sends for a key
// (^C, ^\).
func interruptKey(sig unix.Signal) bool {
	return sig == unix.SIGINT || sig == unix.SIGQUIT
}

// jobGroup returns the process group a new process of j joins: j's group,
// or 0 for a new one (a holder's, for a compound job).
func (r *Runner) jobGroup(j *job) int {
	j.mu.Lock()
	pgid, simple := j.pgid, j.simple
	j.mu.Unlock()
	if pgid != 0 {
		return pgid
	}
	if !simple {
		r.startHolder(j)
		j.mu.Lock()
		pgid = j.pgid
		j.mu.Unlock()
	}
	return pgid
}

// groupGone forgets j's group after a process could not join it (every
// member ended).
func (j *job) groupGone(pgid int) {
	j.mu.Lock()
	if j.pgid == pgid {
		j.pgid = 0
		j.holder = 0
	}
	j.mu.Unlock()
}

// beforePrompt takes the terminal back and reports background jobs that
// finished or stopped since the last prompt.
func (r *Runner) beforePrompt() {
	if !r.sh.jobControl {
		return
	}
	r.sh.takeTerminal(false)
	r.reportJobs()
}

// reportJobs prints a line for each job that ended or stopped and was not
// reported yet, and forgets the ended ones.
func (r *Runner) reportJobs() {
	for _, j := range r.jobs.all() {
		j.mu.Lock()
		state, notified := j.state, j.notified
		j.mu.Unlock()
		if notified || state == jobRunning {
			continue
		}
		r.errWrite(r.jobs.line(j, false))
		r.jobs.reported(j)
	}
}

// reported notes that j's state was shown to the user; a job shown done is
// forgotten.
func (t *jobTable) reported(j *job) {
	j.mu.Lock()
	j.notified = true
	done := j.state == jobDone
	j.mu.Unlock()
	if done {
		t.remove(j)
	}
}

// leaveAllowed is asked when an interactive shell is about to exit (exit
// builtin or end of input). With stopped jobs it warns once ("There are
// stopped jobs.") and returns false; asked again, it hangs the jobs up and
// returns true.
func (r *Runner) leaveAllowed() bool {
	sh := r.sh
	if !sh.jobControl {
		return true
	}
	stopped := false
	for _, j := range r.jobs.all() {
		if state, _ := j.snapshot(); state == jobStopped {
			stopped = true
		}
	}
	if stopped && !(sh.leaveFreeUntil > 0 && sh.commands <= sh.leaveFreeUntil) {
		r.errWrite("There are stopped jobs.\n")
		sh.leaveFreeUntil = sh.commands + 1 // the next command may leave
		return false
	}
	r.jobs.hangUp(true)
	return true
}

// hangUp sends SIGHUP to the jobs (only the stopped ones when
// stoppedOnly), then SIGCONT so that stopped ones see it.
func (t *jobTable) hangUp(stoppedOnly bool) {
	for _, j := range t.all() {
		state, _ := j.snapshot()
		j.mu.Lock()
		nohup := j.nohup
		j.mu.Unlock()
		if nohup || state == jobDone || stoppedOnly && state != jobStopped {
			continue
		}
		j.signal(unix.SIGHUP)
		j.signal(unix.SIGCONT)
	}
}

// jobSignal is how the interactive shell handles a signal it catches for
// job control and that no trap claims: ^C ends the foreground job's
// in-process part, ^Z stops it, a hangup hangs up every job and ends the
// shell. It reports whether the signal was handled.
func (sh *Shell) jobSignal(sig unix.Signal) bool {
	switch sig {
	case unix.SIGINT, unix.SIGTSTP:
		sh.signalForeground(sig)
		return true
	case unix.SIGHUP:
		if sh.jobs != nil {
			sh.jobs.hangUp(false)
		}
		return false
	}
	return false
}

// signalForeground hands a ^C or ^Z the shell caught to the foreground job.
// Between two jobs of a command line (in "echo started; while :; do :;
// done", after the echo ended and before the loop started) there is none:
// the signal then waits for the line's next job, which takes it as it
// starts, so the key is not lost. A signal no job of the line took is
// dropped when the line ends: one that arrives later (a ^C that also
// reached a child launched at that moment, still in the shell's group, and
// so ended the job) must not hit the next command.
func (sh *Shell) signalForeground(sig unix.Signal) {
	if j := sh.fgJob.Load(); j != nil {
		j.takeSignal(sig)
		return
	}
	sh.lineMu.Lock()
	if sh.lineRunning {
		sh.fgSigPending = sig
	}
	sh.lineMu.Unlock()
	// a job that became the foreground one meanwhile may have looked
	// before the signal was stored: whichever side takes it out delivers it
	if j := sh.fgJob.Load(); j != nil {
		if s := sh.pendingForegroundSignal(); s != 0 {
			j.takeSignal(s)
		}
	}
}

// pendingForegroundSignal takes out the ^C or ^Z waiting for the next job
// of the command line, or returns 0.
func (sh *Shell) pendingForegroundSignal() unix.Signal {
	sh.lineMu.Lock()
	defer sh.lineMu.Unlock()
	sig := sh.fgSigPending
	sh.fgSigPending = 0
	return sig
}

// commandLine marks the start (running) or end of a command line typed at
// the prompt, for signalForeground.
func (sh *Shell) commandLine(running bool) {
	sh.lineMu.Lock()
	defer sh.lineMu.Unlock()
	sh.lineRunning = running
	sh.fgSigPending = 0
}

// takeSignal applies a ^C or ^Z the shell caught to j's in-process part.
func (j *job) takeSignal(sig unix.Signal) {
	if sig == unix.SIGINT {
		j.abortWith(sig)
	} else {
		j.stopInProcess()
	}
}

// noticeNow prints a background job's notice as soon as it ends, for
// set -b.
func (sh *Shell) noticeNow(t *jobTable, j *job) {
	if !sh.jobControl || !sh.notify.Load() {
		return
	}
	writeFd(2, []byte(t.line(j, false)))
	t.reported(j)
}
