// Package jobs keeps spork's child processes: the reaper that collects
// every child's status changes, and (with job control) the job table, process
// groups and the terminal.
package jobs

import (
	"sync"

	"golang.org/x/sys/unix"
)

// Reaper is the one place where spork waits for children. A single
// goroutine calls wait4(-1) for every child, stops and continues included,
// and hands each status to the [Child] of that pid, whether or not anyone
// has asked for it yet.
type Reaper struct {
	mu       sync.Mutex
	cond     *sync.Cond
	gen      uint64 // bumped around every launch, so an idle reaper retries
	children map[int]*Child
	started  bool

	// Notify, when set, is called by the reaper goroutine after each
	// status is queued. It must not block.
	Notify func(pid int, ws unix.WaitStatus)
}

// Child is the status queue of one child process.
type Child struct {
	Pid     int
	r       *Reaper
	events  []unix.WaitStatus
	ready   chan struct{} // closed and replaced when events arrive
	exited  bool
	final   unix.WaitStatus
	discard bool
}

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
	r.cond.Broadcast()
	r.mu.Unlock()
}

// Launched wakes the reaper after a launch; see Launching.
func (r *Reaper) Launched() {
	r.mu.Lock()
	r.gen++
	r.cond.Broadcast()
	r.mu.Unlock()
}

// Watch returns the status queue of pid.
func (r *Reaper) Watch(pid int) *Child {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.childLocked(pid)
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
}

func (r *Reaper) childLocked(pid int) *Child {
	c := r.children[pid]
	if c == nil {
		c = &Child{Pid: pid, r: r, ready: make(chan struct{})}
		r.children[pid] = c
	}
	return c
}

func (r *Reaper) loop() {
	for {
		r.mu.Lock()
		gen := r.gen
		r.mu.Unlock()
		var ws unix.WaitStatus
		pid, err := unix.Wait4(-1, &ws, unix.WUNTRACED|unix.WCONTINUED|unix.WALL, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			// ECHILD: nothing to wait for until the next launch.
			r.mu.Lock()
			for r.gen == gen {
				r.cond.Wait()
			}
			r.mu.Unlock()
			continue
		}
		r.deliver(pid, ws)
	}
}

func (r *Reaper) deliver(pid int, ws unix.WaitStatus) {
	r.mu.Lock()
	c := r.childLocked(pid)
	done := ws.Exited() || ws.Signaled()
	if done && c.discard {
		delete(r.children, pid)
		r.mu.Unlock()
		return
	}
	c.events = append(c.events, ws)
	if done {
		c.exited = true
		c.final = ws
	}
	close(c.ready)
	c.ready = make(chan struct{})
	notify := r.Notify
	r.mu.Unlock()
	if notify != nil {
		notify(pid, ws)
	}
}

// Next blocks until the child's next status change and returns it. After
// the child has exited or died, Next returns that final status again and
// again.
func (c *Child) Next() unix.WaitStatus {
	r := c.r
	r.mu.Lock()
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
		ch := c.ready
		r.mu.Unlock()
		<-ch
		r.mu.Lock()
	}
}

// Exit blocks until the child has exited or died, skipping stops and
// continues, and then forgets it.
func (c *Child) Exit() unix.WaitStatus {
	for {
		ws := c.Next()
		if ws.Exited() || ws.Signaled() {
			c.r.mu.Lock()
			delete(c.r.children, c.Pid)
			c.r.mu.Unlock()
			return ws
		}
	}
}

// Done reports, without blocking, whether the child has exited, and its
// final status if so.
func (c *Child) Done() (unix.WaitStatus, bool) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	return c.final, c.exited
}
