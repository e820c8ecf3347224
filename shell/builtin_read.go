package shell

import (
	"bytes"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/expand"
)

func init() {
	builtins["read"] = readBuiltin
}

type readOptions struct {
	raw     bool
	delim   byte
	limit   int // -n/-N count; 0 for none
	exact   bool
	timeout float64
	timed   bool
	silent  bool
	fd      int
	prompt  string
	array   string
	keepNUL bool // NUL bytes stay in the line (mapfile cuts the line there)
	// stops, when not 0, is a descriptor that becomes readable when the
	// job stops or is aborted, and attend handles that (see attendTerminalRead).
	stops  int
	attend func(eio bool) int
}

// readBuf is the reusable state of one read.
type readBuf struct {
	line  []byte
	esc   []bool // parallel to line once a backslash escape was seen
	chunk [4096]byte
}

var readBufPool = sync.Pool{New: func() any { return new(readBuf) }}

const readUsage = "read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n"

func readBuiltin(r *Runner, args []string) int {
	o := readOptions{delim: '\n'}
	opts, names, bad, missing := builtinGetopt(args[1:], "ra:d:n:N:p:t:u:sei:")
	if bad != "" {
		return r.optError("read", bad, missing, readUsage)
	}
	// A bad option argument is a usage error: status 2, as dash and
	// POSIX utilities give it (bash gives 1).
	for _, op := range opts {
		switch op.c {
		case 'r':
			o.raw = true
		case 'a':
			o.array = op.arg
		case 'd':
			o.delim = 0
			if op.arg != "" {
				o.delim = op.arg[0]
			}
		case 'n', 'N':
			n, err := strconv.Atoi(op.arg)
			if err != nil || n < 0 {
				r.errorf("read: %s: invalid number", op.arg)
				return 2
			}
			o.limit = n
			o.exact = op.c == 'N'
			if n == 0 {
				o.limit = -1
			}
		case 'p':
			o.prompt = op.arg
		case 't':
			f, err := strconv.ParseFloat(op.arg, 64)
			if err != nil || f < 0 {
				r.errorf("read: %s: invalid timeout specification", op.arg)
				return 2
			}
			o.timeout, o.timed = f, true
		case 'u':
			n, err := strconv.Atoi(op.arg)
			if err != nil || n < 0 {
				r.errorf("read: %s: invalid file descriptor specification", op.arg)
				return 2
			}
			o.fd = n
		case 's':
			o.silent = true
		}
	}
	if o.array != "" && !checkName(o.array) {
		r.errorf("read: `%s': not a valid identifier", o.array)
		return 1
	}
	for _, n := range names {
		if !validVarRef(n) {
			r.errorf("read: `%s': not a valid identifier", n)
			return 1
		}
	}
	fd := r.fdOf(o.fd)
	if fd < 0 {
		r.errorf("read: %d: invalid file descriptor: Bad file descriptor", o.fd)
		return 1
	}
	if o.timed && o.timeout == 0 {
		return readReady(fd)
	}
	if o.limit < 0 {
		// -n 0: read nothing; the variables are set empty, as bash does
		if len(names) == 0 {
			names = []string{"REPLY"}
		}
		for _, n := range names {
			if err := r.assignRef(n, ""); err != nil {
				r.errorf("read: %s", err)
				return 1
			}
		}
		return 0
	}
	// A count or another delimiter than newline reads the terminal a key
	// at a time, as bash does (read -n 1 returns on the first key).
	cbreak := o.limit > 0 || o.delim != '\n'
	job := r.job
	if job != nil && !(r.sh.jobControl && r.sh.tty >= 0) {
		job = nil
	}
	// The terminal's modes, when fd is a terminal and something below
	// needs to know: asked once.
	var term *unix.Termios
	if o.prompt != "" || o.silent || cbreak || job != nil {
		if t, err := unix.IoctlGetTermios(fd, unix.TCGETS); err == nil {
			term = t
		}
	}
	if o.prompt != "" && term != nil {
		r.errWrite(o.prompt)
	}
	if (o.silent || cbreak) && term != nil {
		saved := *term
		if o.silent {
			term.Lflag &^= unix.ECHO
		}
		if cbreak {
			term.Lflag &^= unix.ICANON
			term.Cc[unix.VMIN], term.Cc[unix.VTIME] = 1, 0
		}
		unix.IoctlSetTermios(fd, unix.TCSETS, term)
		defer unix.IoctlSetTermios(fd, unix.TCSETS, &saved)
	}
	rb := readBufPool.Get().(*readBuf)
	defer func() {
		rb.line = rb.line[:0]
		rb.esc = rb.esc[:0]
		if cap(rb.line) <= 1<<16 {
			readBufPool.Put(rb)
		}
	}()
	if job != nil && term != nil {
		if w, release, err := job.watchStops(); err == nil {
			defer release()
			o.stops, o.attend = w, func(eio bool) int { return r.attendTerminalRead(job, eio) }
		}
	}
	rb.line, rb.esc = rb.line[:0], rb.esc[:0]
	status := rb.read(fd, &o)
	if status == readAborted {
		return r.exitCode
	}
	if status == -1 {
		r.errorf("read: read error: %d: Bad file descriptor", o.fd)
		return 1
	}
	if o.silent && term != nil && status == 0 {
		r.errWrite("\n")
	}
	if st := r.readAssign(rb, &o, names); st != 0 {
		return st
	}
	return status
}

// readAborted is what rb.read returns when the job was aborted (^C) while
// it waited for the terminal.
const readAborted = -2

// attendTerminalRead is called while read waits for the terminal in job
// j, which runs in the shell's own process: the keys typed after ^C or ^Z
// belong to the prompt, and a job in the background may not read the
// terminal (a process would get SIGTTIN). It stops the job when it is
// not in the foreground, waits while it is stopped, and returns
// readAborted when the job must end, 0 to go on reading. After a read
// failed with EIO (the terminal is the job's group's, the shell's process
// is not in it) a job in the foreground gets the terminal for the shell's
// group, and the read is tried again; otherwise it returns 1.
func (r *Runner) attendTerminalRead(j *job, eio bool) int {
	if !j.isForeground() {
		j.stopInProcessBy(unix.SIGTTIN)
	}
	if j.attn.Load() && r.jobAttention() {
		return readAborted
	}
	if eio && !r.sh.takeTerminalForShellPart(j) {
		return 1
	}
	return 0
}

// readReady answers read -t 0: is input available?
func readReady(fd int) int {
	if _, err := unix.Seek(fd, 0, 1); err == nil {
		return 0
	}
	p := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(p, 0)
	if err == nil && n > 0 && p[0].Revents&(unix.POLLIN|unix.POLLHUP) != 0 {
		return 0
	}
	return 1
}

// read fills rb.line from fd. It returns 0 when a delimiter (or the
// count) ended the input, 1 at end of file, 142 on timeout, -1 on a read
// error.
func (rb *readBuf) read(fd int, o *readOptions) int {
	seekable := false
	if _, err := unix.Seek(fd, 0, 1); err == nil {
		seekable = true
	}
	var deadline time.Time
	if o.timed {
		deadline = time.Now().Add(time.Duration(o.timeout * float64(time.Second)))
	}
	pendingBS := false
	count := 0
	for {
		size := 1
		if seekable {
			size = len(rb.chunk)
		} else if o.timed || o.stops != 0 {
			ms := int64(-1)
			if o.timed {
				if ms = time.Until(deadline).Milliseconds(); ms <= 0 {
					return 142
				}
			}
			if o.stops != 0 {
				if st := o.attend(false); st != 0 {
					return st
				}
			}
			p := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}, {Fd: int32(o.stops), Events: unix.POLLIN}}
			if o.stops == 0 {
				p = p[:1]
			}
			n, err := unix.Poll(p, int(ms))
			if err == unix.EINTR {
				continue
			}
			if n == 0 {
				return 142
			}
			if len(p) > 1 && p[1].Revents != 0 {
				var drain [64]byte
				for {
					if k, _ := unix.Read(o.stops, drain[:]); k <= 0 {
						break
					}
				}
				continue // o.attend looks
			}
		}
		n, err := readFd(fd, rb.chunk[:size])
		if err == unix.EIO && o.stops != 0 {
			if st := o.attend(true); st != 0 {
				return st
			}
			continue
		}
		if err != nil {
			if err == unix.EBADF {
				return -1
			}
			return 1
		}
		if n <= 0 {
			return 1
		}
		for i := 0; i < n; i++ {
			c := rb.chunk[i]
			done := false
			switch {
			case pendingBS:
				pendingBS = false
				if c == '\n' {
					continue
				}
				rb.appendEscaped(c)
				count++
				done = o.limit > 0 && count >= o.limit
			case c == 0 && o.delim != 0 && !o.keepNUL:
				continue
			case c == '\\' && !o.raw:
				pendingBS = true
				continue
			case c == o.delim && !o.exact:
				done = true
			default:
				rb.line = append(rb.line, c)
				if len(rb.esc) > 0 {
					rb.esc = append(rb.esc, false)
				}
				count++
				done = o.limit > 0 && count >= o.limit
			}
			if done {
				if seekable && i+1 < n {
					unix.Seek(fd, int64(i+1-n), 1)
				}
				return 0
			}
		}
	}
}

func (rb *readBuf) appendEscaped(c byte) {
	if len(rb.esc) < len(rb.line) {
		for len(rb.esc) < len(rb.line) {
			rb.esc = append(rb.esc, false)
		}
	}
	rb.line = append(rb.line, c)
	rb.esc = append(rb.esc, true)
}

// readAssign splits the line read and assigns the variables.
func (r *Runner) readAssign(rb *readBuf, o *readOptions, names []string) int {
	line := rb.line
	set := func(name, val string) int {
		if err := r.assignRef(name, val); err != nil {
			r.errorf("%v", err)
			return 1
		}
		return 0
	}
	if o.array == "" && (len(names) == 0 || o.exact) {
		name := "REPLY"
		if len(names) > 0 {
			name = names[0]
		}
		if st := set(name, string(line)); st != 0 {
			return st
		}
		if len(names) > 1 {
			for _, n := range names[1:] {
				if st := set(n, ""); st != 0 {
					return st
				}
			}
		}
		return 0
	}
	var tab [256]bool
	ifs := r.ifs()
	for i := 0; i < len(ifs); i++ {
		tab[ifs[i]] = true
	}
	esc := rb.esc
	sep := func(k int) bool { return tab[line[k]] && (len(esc) <= k || !esc[k]) }
	ws := func(k int) bool {
		c := line[k]
		return (c == ' ' || c == '\t' || c == '\n') && sep(k)
	}
	max := len(names)
	if o.array != "" {
		max = 0
	}
	var fields []string
	n := len(line)
	i := 0
	for i < n && ws(i) {
		i++
	}
	for nf := 0; ; nf++ {
		if max > 0 && nf == max-1 {
			e := n
			for e > i && ws(e-1) {
				e--
			}
			if e > i && sep(e-1) {
				e2 := e - 1
				for e2 > i && ws(e2-1) {
					e2--
				}
				only := true
				for k := i; k < e2; k++ {
					if sep(k) {
						only = false
						break
					}
				}
				if only {
					e = e2
				}
			}
			fields = append(fields, string(line[i:e]))
			break
		}
		if i >= n {
			break
		}
		start := i
		for i < n && !sep(i) {
			i++
		}
		fields = append(fields, string(line[start:i]))
		for i < n && ws(i) {
			i++
		}
		if i < n && sep(i) {
			i++
			for i < n && ws(i) {
				i++
			}
		}
	}
	if o.array != "" {
		if fields == nil {
			fields = []string{}
		}
		if err := r.Set(o.array, expand.Variable{Set: true, Kind: expand.Indexed, List: fields}); err != nil {
			r.errorf("%v", err)
			return 1
		}
		return 0
	}
	for k, name := range names {
		v := ""
		if k < len(fields) {
			v = fields[k]
		}
		if st := set(name, v); st != 0 {
			return st
		}
	}
	return 0
}

func init() {
	builtins["mapfile"] = mapfileBuiltin
	builtins["readarray"] = mapfileBuiltin
}

// mapfileBuiltin implements mapfile/readarray: lines of input into an
// indexed array.
func mapfileBuiltin(r *Runner, args []string) int {
	name := args[0]
	opts, rest, bad, missing := builtinGetopt(args[1:], "d:n:O:s:tu:C:c:")
	if bad != "" {
		return r.optError(name, bad, missing, name+": usage: "+name+" [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]\n")
	}
	o := readOptions{raw: true, delim: '\n', keepNUL: true}
	trim := false
	count, origin, skip := 0, -1, 0
	callback, quantum := "", 5000
	num := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			r.errorf("%s: %s: invalid number", name, s)
			return 0, false
		}
		return n, true
	}
	var ok bool
	for _, op := range opts {
		switch op.c {
		case 'd':
			o.delim = 0
			if op.arg != "" {
				o.delim = op.arg[0]
			}
		case 'n':
			if count, ok = num(op.arg); !ok {
				return 1
			}
		case 'O':
			if origin, ok = num(op.arg); !ok {
				return 1
			}
		case 's':
			if skip, ok = num(op.arg); !ok {
				return 1
			}
		case 't':
			trim = true
		case 'C':
			callback = op.arg
		case 'c':
			if quantum, ok = num(op.arg); !ok || quantum == 0 {
				if ok {
					r.errorf("%s: %s: invalid callback quantum", name, op.arg)
				}
				return 1
			}
		case 'u':
			n, err := strconv.Atoi(op.arg)
			if err != nil || n < 0 {
				r.errorf("%s: %s: invalid file descriptor specification", name, op.arg)
				return 1
			}
			o.fd = n
		}
	}
	arr := "MAPFILE"
	if len(rest) > 0 {
		arr = rest[0]
	}
	if !checkName(arr) {
		r.errorf("%s: `%s': not a valid identifier", name, arr)
		return 1
	}
	fd := r.fdOf(o.fd)
	if fd < 0 {
		r.errorf("%s: %d: invalid file descriptor: Bad file descriptor", name, o.fd)
		return 1
	}
	var list []string
	var indexes []int
	if origin >= 0 {
		old := r.Get(arr)
		if old.Kind == expand.Indexed {
			list = append(list, old.List...)
			indexes = append(indexes, old.Indexes...)
		} else if old.IsSet() && old.Kind == expand.String {
			list = []string{old.Str}
		}
	} else {
		origin = 0
	}
	rb := readBufPool.Get().(*readBuf)
	defer readBufPool.Put(rb)
	idx := origin
	n := 0
	for count == 0 || n < count {
		rb.line, rb.esc = rb.line[:0], rb.esc[:0]
		st := rb.read(fd, &o)
		if st == 1 && len(rb.line) == 0 || st < 0 {
			break
		}
		cut := false
		if i := bytes.IndexByte(rb.line, 0); i >= 0 {
			// bash keeps a line as a C string: it ends at a NUL byte,
			// and the rest (the delimiter too) is lost
			rb.line, cut = rb.line[:i], true
		}
		if st == 0 && !trim && !cut && o.delim != 0 {
			rb.line = append(rb.line, o.delim)
		}
		if skip > 0 {
			skip--
			if st != 0 {
				break
			}
			continue
		}
		line := string(rb.line)
		if callback != "" && (n+1)%quantum == 0 {
			// -C: evaluated with the index and the line about to be stored
			r.evalString(callback+" "+strconv.Itoa(idx)+" "+shellQuote(line), "mapfile")
		}
		if indexes == nil && idx <= len(list) {
			if idx == len(list) {
				list = append(list, line)
			} else {
				list[idx] = line
			}
		} else {
			if indexes == nil {
				indexes = make([]int, len(list))
				for i := range indexes {
					indexes[i] = i
				}
			}
			replaced := false
			for i, k := range indexes {
				if k == idx {
					list[i] = line
					replaced = true
					break
				}
			}
			if !replaced {
				list = append(list, line)
				indexes = append(indexes, idx)
			}
		}
		idx++
		n++
		if st != 0 {
			break
		}
	}
	rb.line, rb.esc = rb.line[:0], rb.esc[:0]
	if list == nil {
		list = []string{}
	}
	if err := r.Set(arr, expand.Variable{Set: true, Kind: expand.Indexed, List: list, Indexes: indexes}); err != nil {
		r.errorf("%v", err)
		return 1
	}
	return 0
}
