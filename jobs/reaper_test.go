package jobs

import (
	"os"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// start launches /bin/sh -c script the way the shell does: between
// Launching and Launched.
func start(t *testing.T, r *Reaper, script string) int {
	t.Helper()
	r.Launching()
	pid, err := syscall.ForkExec("/bin/sh", []string{"sh", "-c", script}, &syscall.ProcAttr{
		Env:   []string{"PATH=/usr/bin:/bin"},
		Files: []uintptr{0, 1, 2},
	})
	r.Launched()
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func TestExitStatus(t *testing.T) {
	r := NewReaper()
	for i := 0; i < 20; i++ {
		pid := start(t, r, "exit "+strconv.Itoa(i))
		ws := r.Watch(pid).Exit()
		if !ws.Exited() || ws.ExitStatus() != i {
			t.Fatalf("child %d: status %v", i, ws)
		}
	}
}

func TestConcurrentWaiters(t *testing.T) {
	r := NewReaper()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			pid := start(t, r, "sleep 0.0"+strconv.Itoa(8-i)+"; exit "+strconv.Itoa(i))
			ws := r.Watch(pid).Exit()
			if !ws.Exited() || ws.ExitStatus() != i {
				t.Errorf("child %d: status %v", i, ws)
			}
		}(i)
	}
	wg.Wait()
}

// gone reports whether pid has been reaped (a zombie keeps its /proc entry).
func gone(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return os.IsNotExist(err)
}

func TestForgottenChildIsReaped(t *testing.T) {
	r := NewReaper()
	pid := start(t, r, "exit 7")
	r.Forget(pid)
	deadline := time.Now().Add(5 * time.Second)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatal("forgotten child never reaped")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestStopContinueKill(t *testing.T) {
	r := NewReaper()
	var mu sync.Mutex
	var seen []unix.WaitStatus
	r.Notify = func(pid int, ws unix.WaitStatus) {
		mu.Lock()
		seen = append(seen, ws)
		mu.Unlock()
	}
	pid := start(t, r, "exec sleep 10")
	c := r.Watch(pid)
	unix.Kill(pid, unix.SIGSTOP)
	if ws := c.Next(); !ws.Stopped() {
		t.Fatalf("want a stop, got %v", ws)
	}
	// Nobody waits now: the reaper goroutine collects the continue.
	unix.Kill(pid, unix.SIGCONT)
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(seen)
		mu.Unlock()
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("continue not collected while nobody waited")
		}
		time.Sleep(time.Millisecond)
	}
	if ws := c.Next(); !ws.Continued() {
		t.Fatalf("want a continue, got %v", ws)
	}
	unix.Kill(pid, unix.SIGKILL)
	ws := c.Exit()
	if !ws.Signaled() || ws.Signal() != unix.SIGKILL {
		t.Fatalf("want SIGKILL, got %v", ws)
	}
	if _, done := c.Done(); !done {
		t.Fatal("Done after Exit: not done")
	}
}

func TestDonePolls(t *testing.T) {
	r := NewReaper()
	pid := start(t, r, "exit 4")
	c := r.Watch(pid)
	deadline := time.Now().Add(5 * time.Second)
	for {
		ws, done := c.Done()
		if done {
			if ws.ExitStatus() != 4 {
				t.Fatalf("status %v", ws)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Done never reported the exit")
		}
		time.Sleep(time.Millisecond)
	}
	if ws := c.Exit(); ws.ExitStatus() != 4 {
		t.Fatalf("Exit after Done: %v", ws)
	}
}

// A waiter blocked while another goroutine collects gets its status from
// that goroutine.
func TestWaiterWhileOtherCollects(t *testing.T) {
	r := NewReaper()
	long := start(t, r, "sleep 0.3; exit 1")
	short := start(t, r, "sleep 0.05; exit 2")
	lc, sc := r.Watch(long), r.Watch(short)
	done := make(chan unix.WaitStatus)
	go func() { done <- lc.Exit() }()
	time.Sleep(20 * time.Millisecond) // let the first waiter take the role
	if ws := sc.Exit(); ws.ExitStatus() != 2 {
		t.Fatalf("short: %v", ws)
	}
	if ws := <-done; ws.ExitStatus() != 1 {
		t.Fatalf("long: %v", ws)
	}
}
