package shell

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// jobState is where a job is in its life.
type jobState uint8

const (
	jobRunning jobState = iota
	jobStopped
	jobDone
)

// job is one command the shell runs as a unit: a pipeline, or a compound
// command such as a loop or a function call, in the foreground or in the
// background after &. Its interpreter part runs on a goroutine of its own
// state; under job control its processes share one process group.
//
// A job stops as a whole: its processes are stopped by the kernel, and its
// goroutine waits before the next command while the job is stopped.
type job struct {
	id  int
	cmd string
	pid int // $!: the group leader or first process, or a stand-in number

	// grouped is set under job control: the job's processes share a
	// process group and it may get the terminal.
	grouped bool
	// simple is set for a single external command: its one process leads
	// the group, and no holder is needed.
	simple bool

	launchMu sync.Mutex // serializes the job's launches, so its group is created once

	mu      sync.Mutex
	pgid    int // process group; 0 until the first launch
	holder  int // pid of the process holding the group alive, 0 for none
	procs   []*jobProc
	state   jobState
	status  int         // exit status once done
	stopSig unix.Signal // what stopped it
	lastSig unix.Signal // the signal that killed its last process, if any
	fg      bool        // has (or is to get) the terminal
	stopReq bool        // stopped in-process: the shell caught SIGTSTP for it
	// groupStop: stopReq came from a stop signal that the job's whole
	// process group got (its holder stopped). The job counts as stopped
	// once its processes are stopped, or when its in-process part gets to
	// its next command: a process may take its time to stop (less and vi
	// put the terminal back first), or ignore the signal and end, and the
	// job goes on until then, as a forked one would.
	groupStop bool
	abort     int // signal that ends the job's in-process part, 0 for none
	// abortDied: a process of the job in the foreground died of the abort
	// signal (not the group holder alone, which a ^C that a program
	// caught kills too)
	abortDied bool
	detached  bool // stopped from the foreground: the shell went on without it
	modes     *unix.Termios
	notified  bool // the last state change was reported
	seq       uint64
	nohup     bool
	changed   chan struct{} // closed and replaced at every change
	done      chan struct{} // closed when the job is done
	aborted   chan struct{} // closed when abort is set

	attn atomic.Bool // stopReq or abort is set: the interpreter must look
	wake int         // write end of a pipe told of each stop or abort, 0 for none (see watchStops)
}

// jobProc is one process of a job.
type jobProc struct {
	pid   int
	state jobState
	ws    unix.WaitStatus
}

func newJob(cmd string, fg bool) *job {
	return &job{cmd: cmd, fg: fg, changed: make(chan struct{}), done: make(chan struct{}), aborted: make(chan struct{})}
}

// changedLocked wakes everyone waiting for a change of the job.
func (j *job) changedLocked() {
	close(j.changed)
	j.changed = make(chan struct{})
	j.notified = false
}

// recomputeLocked derives the job's state from its processes: stopped when
// it was stopped in-process, or when every live process is stopped.
func (j *job) recomputeLocked() {
	if j.state == jobDone {
		return
	}
	running, stopped := 0, 0
	for _, p := range j.procs {
		switch p.state {
		case jobRunning:
			running++
		case jobStopped:
			stopped++
		}
	}
	old := j.state
	if j.stopReq && !j.groupStop || (stopped > 0 && running == 0) {
		j.state = jobStopped
		if j.fg {
			j.detached = true
			j.fg = false
		}
	} else {
		j.state = jobRunning
	}
	if j.state != old {
		j.changedLocked()
	}
}

// addProc records a launched process. When the job was signalled to end,
// or stopped, while the process was being launched, the process gets the
// signal too.
func (j *job) addProc(pid int) {
	j.mu.Lock()
	j.procs = append(j.procs, &jobProc{pid: pid})
	if j.grouped && j.pgid == 0 {
		j.pgid = pid
	}
	if j.grouped && j.pid == 0 {
		j.pid = pid
	}
	if j.stopReq && j.abort == 0 {
		// ^Z stopped the job while this process was being launched: it
		// stops with the job (under the lock, so that a resume's SIGCONT
		// comes after)
		unix.Kill(pid, j.stopSig)
	}
	sig := j.abort
	j.mu.Unlock()
	if sig != 0 {
		unix.Kill(pid, unix.Signal(sig))
	}
}

// leader returns the pid that stands for the job ($!, jobs -l).
func (j *job) leader() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.pid
}

// procEvent records a status change of one of the job's processes.
func (j *job) procEvent(pid int, ws unix.WaitStatus) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, p := range j.procs {
		if p.pid != pid {
			continue
		}
		p.ws = ws
		switch {
		case ws.Stopped():
			p.state = jobStopped
			j.stopSig = ws.StopSignal()
		case ws.Continued():
			p.state = jobRunning
		default:
			p.state = jobDone
			j.lastSig = 0
			if ws.Signaled() {
				j.lastSig = ws.Signal()
			}
		}
	}
	j.recomputeLocked()
}

// liveProcs counts the job's processes that have not ended.
func (j *job) liveProcs() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for _, p := range j.procs {
		if p.state != jobDone {
			n++
		}
	}
	return n
}

// finish marks the job done with status and lets its group go.
func (j *job) finish(status int) {
	j.mu.Lock()
	j.state = jobDone
	j.status = status
	holder := j.holder
	j.holder = 0
	j.changedLocked()
	close(j.done)
	j.mu.Unlock()
	if holder > 0 {
		unix.Kill(holder, unix.SIGKILL)
	}
}

// snapshot returns the job's state and a channel closed at its next change.
func (j *job) snapshot() (jobState, <-chan struct{}) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.state, j.changed
}

// stopInProcess stops the job's in-process part, as SIGTSTP stops a
// process.
func (j *job) stopInProcess() { j.stopInProcessBy(unix.SIGTSTP) }

// stopInProcessBy stops the job's in-process part as sig would.
func (j *job) stopInProcessBy(sig unix.Signal) { j.stopBy(sig, false) }

// groupStopped stops the job's in-process part when its group holder
// stopped: the job's processes got the signal too (see groupStop).
func (j *job) groupStopped(sig unix.Signal) { j.stopBy(sig, true) }

func (j *job) stopBy(sig unix.Signal, group bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.state == jobDone {
		return
	}
	j.groupStop = group && (!j.stopReq || j.groupStop)
	j.stopReq = true
	j.stopSig = sig
	j.attn.Store(true)
	j.wakeLocked()
	j.recomputeLocked()
}

// abortWith ends the job's in-process part at its next command, as sig
// would end a process.
func (j *job) abortWith(sig unix.Signal) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.abort == 0 {
		j.abort = int(sig)
		close(j.aborted)
	}
	j.attn.Store(true)
	j.wakeLocked()
}

// diedOf ends the job's in-process part after a process of it, in the
// foreground, died of sig (^C).
func (j *job) diedOf(sig unix.Signal) {
	j.abortWith(sig)
	j.mu.Lock()
	if j.abort == int(sig) {
		j.abortDied = true
	}
	j.mu.Unlock()
}

// interruptedBy returns the signal that ended the job's in-process part
// as a process died of it, or 0.
func (j *job) interruptedBy() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.abortDied {
		return 0
	}
	return j.abort
}

// watchStops returns a descriptor that becomes readable when the job is
// stopped or aborted (at once if it is already), for a builtin that waits
// for input (read from the terminal) and must not go on reading then;
// release ends the watch.
func (j *job) watchStops() (fd int, release func(), err error) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		return -1, nil, err
	}
	j.mu.Lock()
	j.wake = p[1]
	if j.attn.Load() {
		j.wakeLocked()
	}
	j.mu.Unlock()
	return p[0], func() {
		j.mu.Lock()
		j.wake = 0
		j.mu.Unlock()
		unix.Close(p[0])
		unix.Close(p[1])
	}, nil
}

// wakeLocked tells watchStops' descriptor.
func (j *job) wakeLocked() {
	if j.wake > 0 {
		unix.Write(j.wake, []byte{0})
	}
}

// resume continues a stopped job: its processes with SIGCONT, its
// in-process part by clearing the stop.
func (j *job) resume(fg bool) {
	j.mu.Lock()
	j.fg = fg
	j.stopReq = false
	j.groupStop = false
	j.attn.Store(j.abort != 0)
	pgid := j.pgid
	// SIGCONT to the group reaches every stopped process: mark them running
	// now, so the job is not seen as stopped before their continue events
	// arrive.
	for _, p := range j.procs {
		if p.state == jobStopped {
			p.state = jobRunning
		}
	}
	j.recomputeLocked()
	j.mu.Unlock()
	if pgid > 0 {
		unix.Kill(-pgid, unix.SIGCONT)
	}
}

// signal sends sig to the job: to its process group, and to its in-process
// part as the matching stop, continue or abort.
func (j *job) signal(sig unix.Signal) error {
	j.mu.Lock()
	pgid := j.pgid
	done := j.state == jobDone
	var live []int
	for _, p := range j.procs {
		if p.state != jobDone {
			live = append(live, p.pid)
		}
	}
	j.mu.Unlock()
	if !done && abortsJob(sig) {
		// Before the processes get it: the in-process part must not run
		// its next command when the process it waits for dies of sig.
		j.abortWith(sig)
	}
	var err error
	if pgid > 0 {
		err = unix.Kill(-pgid, sig)
		if err == unix.ESRCH {
			err = nil
		}
	} else {
		// Without a group of its own (a script without set -m), the
		// job's processes get the signal one by one.
		for _, pid := range live {
			unix.Kill(pid, sig)
		}
	}
	if done {
		return err
	}
	switch sig {
	case unix.SIGSTOP, unix.SIGTSTP, unix.SIGTTIN, unix.SIGTTOU:
		j.stopInProcess()
	case unix.SIGCONT:
		j.mu.Lock()
		fg := j.fg
		j.mu.Unlock()
		j.resume(fg)
	case unix.SIGTERM, unix.SIGHUP, unix.SIGKILL:
		j.mu.Lock()
		stopped, fg := j.state == jobStopped, j.fg
		j.mu.Unlock()
		if stopped {
			j.resume(fg) // a stopped job must run to die, as bash has it
		}
	}
	return err
}

// abortsJob reports whether sig ends a job's in-process part (signals
// that stop, continue or are ignored by default do not).
func abortsJob(sig unix.Signal) bool {
	switch sig {
	case unix.SIGSTOP, unix.SIGTSTP, unix.SIGTTIN, unix.SIGTTOU, unix.SIGCONT,
		unix.SIGCHLD, unix.SIGURG, unix.SIGWINCH, 0:
		return false
	}
	return true
}

// waitRunning blocks while the job is stopped in-process.
func (j *job) waitRunning() {
	for {
		j.mu.Lock()
		if j.stopReq && j.groupStop {
			// the in-process part got to its next command: the job is
			// stopped now (once its other processes are)
			j.groupStop = false
			j.recomputeLocked()
		}
		stopped := j.stopReq
		ch := j.changed
		j.mu.Unlock()
		if !stopped {
			return
		}
		<-ch
	}
}

// abortChan returns a channel closed when the in-process part of r's job
// is to end (^C, kill), for a builtin that blocks (wait); nil, which
// never fires, outside a job.
func (r *Runner) abortChan() <-chan struct{} {
	if r.job == nil {
		return nil
	}
	return r.job.aborted
}

// pendingAbort returns the signal that ends the job's in-process part.
func (j *job) pendingAbort() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.abort
}

// isDetached reports whether the shell went on without the job.
func (j *job) isDetached() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.detached
}

// isForeground reports whether the job has the terminal.
func (j *job) isForeground() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.fg
}

// stateText is the job's state as jobs and the notices print it.
func (j *job) stateText() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	switch j.state {
	case jobRunning:
		return "Running"
	case jobStopped:
		return "Stopped"
	}
	if sig := j.killedByLocked(); sig != 0 {
		return signalDescription(sig)
	}
	if j.status != 0 {
		return "Exit " + strconv.Itoa(j.status)
	}
	return "Done"
}

// killedBy returns the signal that ended a done job (its last process's
// death, or the abort of its in-process part), or 0.
func (j *job) killedBy() unix.Signal {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.killedByLocked()
}

func (j *job) killedByLocked() unix.Signal {
	for _, sig := range []unix.Signal{j.lastSig, unix.Signal(j.abort)} {
		if sig != 0 && j.status == 128+int(sig) {
			return sig
		}
	}
	return 0
}

// jobTable lists a shell's jobs, with the order that makes one of them
// current (%+) and another previous (%-).
type jobTable struct {
	mu   sync.Mutex
	list []*job
	seq  uint64
	past map[int]int // status of jobs already waited for, by $! value
}

func newJobTable() *jobTable { return &jobTable{} }

// pseudoPidBase is above every real pid (Linux's pid_max is at most 1<<22):
// $! of a background job that has no process to stand for it is a number
// above it.
const pseudoPidBase = 1 << 22

var pseudoPid atomic.Int64

func init() { pseudoPid.Store(pseudoPidBase) }

// add gives j the next free job number and makes it current.
func (t *jobTable) add(j *job) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, o := range t.list {
		if o == j {
			t.seq++
			j.seq = t.seq
			return
		}
	}
	j.id = 1
	for _, o := range t.list {
		if o.id >= j.id {
			j.id = o.id + 1
		}
	}
	t.seq++
	j.seq = t.seq
	t.list = append(t.list, j)
}

// touch makes j current.
func (t *jobTable) touch(j *job) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq++
	j.seq = t.seq
}

func (t *jobTable) remove(j *job) {
	t.mu.Lock()
	defer t.mu.Unlock()
	j.mu.Lock()
	done, pid, status := j.state == jobDone, j.pid, j.status
	j.mu.Unlock()
	if done {
		if t.past == nil {
			t.past = make(map[int]int)
		}
		if len(t.past) > 1024 {
			clear(t.past)
		}
		t.past[pid] = status
	}
	for i, o := range t.list {
		if o == j {
			t.list = append(t.list[:i], t.list[i+1:]...)
			return
		}
	}
}

// all returns the jobs in job-number order.
func (t *jobTable) all() []*job {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]*job(nil), t.list...)
}

// ranked returns the current job and the previous one (nil when missing):
// stopped jobs come first, then the most recently started or stopped.
func (t *jobTable) ranked() (cur, prev *job) {
	list := t.all()
	better := func(a, b *job) bool {
		as, _ := a.snapshot()
		bs, _ := b.snapshot()
		if (as == jobStopped) != (bs == jobStopped) {
			return as == jobStopped
		}
		return a.seq > b.seq
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, j := range list {
		switch {
		case cur == nil || better(j, cur):
			cur, prev = j, cur
		case prev == nil || better(j, prev):
			prev = j
		}
	}
	return cur, prev
}

// pastStatus returns the status of a job already waited for, by the pid
// $! gave for it: waiting for it again gives the same status, as in bash
// and dash.
func (t *jobTable) pastStatus(pid int) (int, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st, ok := t.past[pid]
	return st, ok
}

// mark is the + or - that jobs prints after a job's number.
func (t *jobTable) mark(j *job) string {
	cur, prev := t.ranked()
	switch j {
	case cur:
		return "+"
	case prev:
		return "-"
	}
	return " "
}

// jobSpecError says why a job spec names no job.
type jobSpecError struct{ spec, why string }

func (e *jobSpecError) Error() string { return e.spec + ": " + e.why }

// find resolves a job spec (%n, %+, %%, %-, %string, %?string) or, when
// pids is set, a process id.
func (t *jobTable) find(spec string, pids bool) (*job, error) {
	list := t.all()
	if !strings.HasPrefix(spec, "%") {
		pid, err := strconv.Atoi(spec)
		if err != nil || !pids {
			return nil, &jobSpecError{spec, "no such job"}
		}
		for _, j := range list {
			if j.hasPid(pid) {
				return j, nil
			}
		}
		return nil, &jobSpecError{spec, "no such job"}
	}
	s := spec[1:]
	switch s {
	case "", "+", "%":
		cur, _ := t.ranked()
		if cur == nil {
			return nil, &jobSpecError{spec, "no such job"}
		}
		return cur, nil
	case "-":
		_, prev := t.ranked()
		if prev == nil {
			return nil, &jobSpecError{spec, "no such job"}
		}
		return prev, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		for _, j := range list {
			if j.id == n {
				return j, nil
			}
		}
		return nil, &jobSpecError{spec, "no such job"}
	}
	var found *job
	for _, j := range list {
		var ok bool
		if rest, contains := strings.CutPrefix(s, "?"); contains {
			ok = strings.Contains(j.cmd, rest)
		} else {
			ok = strings.HasPrefix(j.cmd, s)
		}
		if !ok {
			continue
		}
		if found != nil {
			return nil, &jobSpecError{spec, "ambiguous job spec"}
		}
		found = j
	}
	if found == nil {
		return nil, &jobSpecError{spec, "no such job"}
	}
	return found, nil
}

// hasPid reports whether pid is one of the job's processes.
func (j *job) hasPid(pid int) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.pgid == pid || j.pid == pid {
		return true
	}
	for _, p := range j.procs {
		if p.pid == pid {
			return true
		}
	}
	return false
}
