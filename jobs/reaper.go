// Package jobs keeps spork's child processes: its [Reaper] is the one place
// that waits for them, and collects every child's status changes (exits,
// stops and continues) for the shell's job control, which lives in the
// interpreter.
package jobs

import (
	"sync"

	"golang.org/x/sys/unix"
)

// Reaper is the one place where spork waits for children: wait4(-1) is
// called for every child, stops and continues included, and each status is
// handed to the [Child] of that pid, whether or not anyone has asked for it
// yet.
//
// The goroutine that waits collects. Only one goroutine at a time calls
// wait4 (it holds the "collector" role); a goroutine blocked in [Child.Next]
// takes the role when it is free and calls wait4 itself, so that the usual
// case, one foreground command, costs one blocking system call and no hand-off
// between threads. The reaper's own goroutine takes the role only for
// children nobody waits for: children passed to [Reaper.Forget], and
// children whose waiter has returned from Next before they ended (a job that
// stopped, say). A child should therefore be passed to [Reaper.Watch] (and
// waited for) or to Forget as soon as it is launched; a child nobody watches
// is collected only when some other wait4 happens to return it.
type Reaper struct {
	mu       sync.Mutex
	cond     *sync.Cond // wakes the reaper goroutine
	gen      uint64     // bumped after every launch, so an idle reaper retries
	children map[int]*Child
	started  bool

	busy bool          // some goroutine holds the collector role
	free chan struct{} // closed when the role is given up; made when needed

	// Notify, when set, is called after each status is queued, by the
	// goroutine that collected it (outside the reaper's lock). It must not
	// block.
	Notify func(pid int, ws unix.WaitStatus)
}

// Child is the status queue of one child process.
type Child struct {
	Pid     int // the child's process id
	r       *Reaper
	events  []unix.WaitStatus
	evbuf   [2]unix.WaitStatus // events' first backing array: most children report once
	ready   chan struct{}      // closed when events arrive; made when needed
	exited  bool
	final   unix.WaitStatus
	discard bool
	// watched: a goroutine has asked for the child (Watch) and has not
	// left it since; the reaper goroutine leaves such a child to it.
	watched bool
}

// waitFlags makes wait4 report stops and continues, of every kind of child.
const waitFlags = unix.WUNTRACED | unix.WCONTINUED | unix.WALL

// NewReaper returns a reaper. Its goroutine starts with the first launch.
func NewReaper() *Reaper {
	r := &Reaper{children: make(map[int]*Child)}
	r.cond = sync.NewCond(&r.mu)
	return r
}

// Launching must be called before a child is created and Launched after the
// launch returns (success or not): together they keep the reaper from
// sleeping through a child that was created while it found none.
func (r *Reaper) Launching() {
	r.mu.Lock()
	r.gen++
	if !r.started {
		r.started = true
		go r.loop()
	}
	r.mu.Unlock()
}

// Launched marks the end of a launch; see Launching. It wakes the reaper
// goroutine only if it is collecting for children nobody waits for: a new
// child is normally watched at once by the goroutine that launched it.
func (r *Reaper) Launched() {
	r.mu.Lock()
	r.gen++
	if r.orphansLocked() {
		r.cond.Broadcast()
	}
	r.mu.Unlock()
}

// Watch returns the status queue of pid, and tells the reaper that the
// caller will wait for it (with Next or Exit).
func (r *Reaper) Watch(pid int) *Child {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.childLocked(pid)
	if !c.discard {
		c.watched = true
	}
	return c
}

// Forget drops pid's queue; a status that arrives later is discarded.
func (r *Reaper) Forget(pid int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.childLocked(pid)
	if c.exited {
		delete(r.children, pid)
		return
	}
	c.discard = true
	c.watched = false
	r.cond.Broadcast() // someone must collect it
}

func (r *Reaper) childLocked(pid int) *Child {
	c := r.children[pid]
	if c == nil {
		c = &Child{Pid: pid, r: r}
		c.events = c.evbuf[:0]
		r.children[pid] = c
	}
	return c
}

// orphansLocked reports whether a child is alive that nobody waits for.
func (r *Reaper) orphansLocked() bool {
	for _, c := range r.children {
		if !c.exited && !c.watched {
			return true
		}
	}
	return false
}

// take claims the collector role; the caller holds r.mu and has checked
// that the role is free.
func (r *Reaper) take() { r.busy = true }

// release gives the collector role up (r.mu held): waiters blocked in Next
// retry, and the reaper goroutine takes over if children are left that
// nobody waits for.
func (r *Reaper) release() {
	r.busy = false
	if r.free != nil {
		close(r.free)
		r.free = nil
	}
	if r.orphansLocked() {
		r.cond.Broadcast()
	}
}

// collect calls wait4 once (blocking unless nohang) without the lock, and
// queues the status it returns. It is called with r.mu held and the role
// taken, and returns with both. It reports whether a status was queued, and
// the error (ECHILD: no children at all).
func (r *Reaper) collect(nohang bool) (bool, error) {
	flags := waitFlags
	if nohang {
		flags |= unix.WNOHANG
	}
	r.mu.Unlock()
	var ws unix.WaitStatus
	pid, err := unix.Wait4(-1, &ws, flags, nil)
	for err == unix.EINTR {
		pid, err = unix.Wait4(-1, &ws, flags, nil)
	}
	r.mu.Lock()
	if err != nil || pid <= 0 {
		return false, err
	}
	if notify := r.queueLocked(pid, ws); notify != nil {
		r.mu.Unlock()
		notify(pid, ws)
		r.mu.Lock()
	}
	return true, nil
}

// queueLocked hands a status to its child and returns the Notify function
// to call (after unlocking), if any.
func (r *Reaper) queueLocked(pid int, ws unix.WaitStatus) func(int, unix.WaitStatus) {
	c := r.childLocked(pid)
	done := ws.Exited() || ws.Signaled()
	if done && c.discard {
		delete(r.children, pid)
		return nil
	}
	c.events = append(c.events, ws)
	if done {
		c.exited = true
		c.final = ws
	}
	if c.ready != nil {
		close(c.ready)
		c.ready = nil
	}
	return r.Notify
}

// loop is the reaper goroutine: it collects while children are alive that
// nobody waits for, and sleeps otherwise.
func (r *Reaper) loop() {
	r.mu.Lock()
	for {
		for r.busy || !r.orphansLocked() {
			r.cond.Wait()
		}
		r.take()
		gen := r.gen
		_, err := r.collect(false)
		if err == unix.ECHILD {
			if r.gen != gen {
				// a launch raced with the call: look again
				r.release()
				continue
			}
			// No children at all: the orphans were never ours (or are
			// gone). Forget them rather than spin, and sleep until the
			// next launch.
			for pid, c := range r.children {
				if !c.exited && !c.watched {
					delete(r.children, pid)
				}
			}
			r.release()
			for r.gen == gen {
				r.cond.Wait()
			}
			continue
		}
		r.release()
	}
}

// Next blocks until the child's next status change and returns it. After
// the child has exited or died, Next returns that final status again and
// again. If no other goroutine is collecting, the caller collects (calls
// wait4) itself, handing any other child's status to that child.
func (c *Child) Next() unix.WaitStatus {
	ws := c.next()
	if !ws.Exited() && !ws.Signaled() {
		// The caller has its stop or continue and may not wait again
		// soon: the reaper goroutine keeps collecting for the child.
		r := c.r
		r.mu.Lock()
		c.watched = false
		if !r.busy {
			r.cond.Broadcast()
		}
		r.mu.Unlock()
	}
	return ws
}

func (c *Child) next() unix.WaitStatus {
	r := c.r
	r.mu.Lock()
	if !c.discard {
		c.watched = true
	}
	for {
		if len(c.events) > 0 {
			ws := c.events[0]
			c.events = c.events[1:]
			r.mu.Unlock()
			return ws
		}
		if c.exited {
			r.mu.Unlock()
			return c.final
		}
		if !r.busy {
			r.take()
			_, err := r.collect(false)
			if err == unix.ECHILD && len(c.events) == 0 && !c.exited {
				// Not a child of ours (or collected behind our back):
				// nothing will ever come. End it as if it exited 0.
				c.exited = true
			}
			r.release()
			continue
		}
		// Channels only for a goroutine that blocks: the usual waiter
		// collects itself and never needs them.
		if c.ready == nil {
			c.ready = make(chan struct{})
		}
		if r.free == nil {
			r.free = make(chan struct{})
		}
		ch, free := c.ready, r.free
		r.mu.Unlock()
		select {
		case <-ch:
		case <-free:
		}
		r.mu.Lock()
	}
}

// Exit blocks until the child has exited or died, skipping stops and
// continues, and then forgets it.
func (c *Child) Exit() unix.WaitStatus {
	for {
		ws := c.next()
		if ws.Exited() || ws.Signaled() {
			c.r.mu.Lock()
			delete(c.r.children, c.Pid)
			c.r.mu.Unlock()
			return ws
		}
	}
}

// Done reports, without blocking, whether the child has exited, and its
// final status if so. When no goroutine is collecting, it collects every
// status already waiting first.
func (c *Child) Done() (unix.WaitStatus, bool) {
	r := c.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if !c.exited && !r.busy {
		r.take()
		for {
			if got, err := r.collect(true); !got || err != nil {
				break
			}
		}
		r.release()
	}
	return c.final, c.exited
}
