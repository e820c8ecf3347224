package shell

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/syntax"
)

// unixUmask reads the process's umask without changing it for long.
func unixUmask() int {
	m := unix.Umask(0o22)
	unix.Umask(m)
	return m
}

// timeClause runs `time cmd` and reports real, user and system time.
func (r *Runner) timeClause(c *syntax.TimeClause) int {
	var before, kids0 unix.Rusage
	unix.Getrusage(unix.RUSAGE_SELF, &before)
	unix.Getrusage(unix.RUSAGE_CHILDREN, &kids0)
	start := time.Now()
	st := 0
	if c.Stmt != nil {
		r.stmt(c.Stmt)
		st = r.lastStatus
	}
	real := time.Since(start)
	var after, kids1 unix.Rusage
	unix.Getrusage(unix.RUSAGE_SELF, &after)
	unix.Getrusage(unix.RUSAGE_CHILDREN, &kids1)
	user := time.Duration(after.Utime.Nano()-before.Utime.Nano()) + time.Duration(kids1.Utime.Nano()-kids0.Utime.Nano())
	sys := time.Duration(after.Stime.Nano()-before.Stime.Nano()) + time.Duration(kids1.Stime.Nano()-kids0.Stime.Nano())
	f := func(d time.Duration) string {
		m := int(d.Minutes())
		return fmt.Sprintf("%dm%.3fs", m, d.Seconds()-float64(m*60))
	}
	if c.PosixFormat {
		r.errWrite(fmt.Sprintf("real %.2f\nuser %.2f\nsys %.2f\n", real.Seconds(), user.Seconds(), sys.Seconds()))
	} else if tf := r.Get("TIMEFORMAT"); tf.IsSet() {
		if s := tf.String(); s != "" {
			r.errWrite(timeFormat(s, real, user, sys) + "\n")
		}
	} else {
		r.errWrite(fmt.Sprintf("\nreal\t%s\nuser\t%s\nsys\t%s\n", f(real), f(user), f(sys)))
	}
	return st
}

// readLine reads one line from the shell's descriptor n, a byte at a time
// (used by select).
func (r *Runner) readLine(n int) (string, bool) {
	fd := r.fdOf(n)
	if fd < 0 {
		return "", false
	}
	var line []byte
	var b [1]byte
	for {
		k, err := readFd(fd, b[:])
		if k <= 0 || err != nil {
			return string(line), len(line) > 0
		}
		if b[0] == '\n' {
			return string(line), true
		}
		line = append(line, b[0])
	}
}

// timeFormat expands bash's TIMEFORMAT: %[p][l]R, U and S (seconds with p
// decimals, 3 by default, or MmS.FFs with l), %P (CPU percentage) and %%.
func timeFormat(format string, real, user, sys time.Duration) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		if format[i] == '%' {
			b.WriteByte('%')
			continue
		}
		if format[i] == 'P' {
			pct := 0.0
			if real > 0 {
				pct = float64(user+sys) / float64(real) * 100
			}
			fmt.Fprintf(&b, "%.2f", pct)
			continue
		}
		prec, long, j := 3, false, i
		if format[j] >= '0' && format[j] <= '9' {
			prec = min(int(format[j]-'0'), 3)
			j++
		}
		if j < len(format) && format[j] == 'l' {
			long = true
			j++
		}
		var d time.Duration
		if j < len(format) {
			switch format[j] {
			case 'R':
				d = real
			case 'U':
				d = user
			case 'S':
				d = sys
			default:
				j = -1
			}
		} else {
			j = -1
		}
		if j < 0 {
			b.WriteString(format[i-1 : i+1]) // not a conversion: as is
			continue
		}
		i = j
		secs := d.Seconds()
		if long {
			m := int(secs / 60)
			fmt.Fprintf(&b, "%dm%.*fs", m, prec, secs-float64(m*60))
		} else {
			fmt.Fprintf(&b, "%.*f", prec, secs)
		}
	}
	return b.String()
}
