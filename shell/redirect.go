package shell

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/syntax"
)

// savedFd is a descriptor slot replaced by a redirection, to put back.
type savedFd struct {
	n    int
	old  *File
	keep bool // a {var}> descriptor: it stays open after the command (bash)
}

// withRedirs applies the statement's redirections around fn and undoes
// them after, unless fn made them permanent (exec without a command).
func (r *Runner) withRedirs(s *syntax.Stmt, fn func() int) int {
	if r.opts.xtrace {
		if _, ok := s.Cmd.(*syntax.CallExpr); ok {
			// the command's trace goes where stderr was before its own
			// redirections, as in other shells
			prev := r.traceFile
			r.traceFile = r.fds.get(2)
			defer func() { r.traceFile = prev }()
		}
	}
	saved, err := r.redirect(s.Redirs)
	if err != nil {
		r.undoRedirs(saved)
		// a redirection error of a special builtin ends a script in
		// POSIX mode (dash); bash and osh go on with status 1
		if call, ok := s.Cmd.(*syntax.CallExpr); ok && len(call.Args) > 0 && isSpecialBuiltin(call.Args[0].Lit()) && !r.opts.interactive && r.opts.posix {
			r.exit(2)
			return 2
		}
		return 1
	}
	st := fn()
	if r.keepRedirs {
		r.keepRedirs = false
		for _, sv := range saved {
			sv.old.unref()
		}
		return st
	}
	r.undoRedirs(saved)
	return st
}

func (r *Runner) undoRedirs(saved []savedFd) {
	for i := len(saved) - 1; i >= 0; i-- {
		sv := saved[i]
		if sv.keep {
			continue
		}
		r.setFd(sv.n, sv.old).unref()
	}
}

// redirect applies redirections to the state's descriptor table and
// returns what to restore.
func (r *Runner) redirect(rds []*syntax.Redirect) ([]savedFd, error) {
	var saved []savedFd
	named := -1 // the descriptor a {var}> redirection just allocated
	put := func(n int, f *File) {
		saved = append(saved, savedFd{n, r.setFd(n, f), n == named})
	}
	for _, rd := range rds {
		n := -1
		named = -1
		if rd.N != nil {
			v, err := strconv.Atoi(rd.N.Value)
			if err != nil {
				// {var}> : allocate a descriptor and name it
				if v, err = r.namedFd(rd); err != nil {
					return saved, err
				}
				if rd.Word == nil || rd.Word.Lit() != "-" {
					named = v
				}
			}
			if v >= 1024 && v >= fdLimit() {
				if (rd.Op == syntax.DplIn || rd.Op == syntax.DplOut) && rd.Word.Lit() == "-" {
					continue // nothing open there to close
				}
				return saved, r.redirErr("%d: Bad file descriptor", v)
			}
			n = v
		}
		switch rd.Op {
		case syntax.Hdoc, syntax.DashHdoc:
			if n < 0 {
				n = 0
			}
			f, err := r.heredoc(rd)
			if err != nil {
				return saved, err
			}
			put(n, f)
			continue
		case syntax.WordHdoc:
			if n < 0 {
				n = 0
			}
			s, err := r.literal(rd.Word)
			if err != nil {
				r.reportExpandError(err) // fails the command only, as in bash
				return saved, err
			}
			f, err := r.bodyFile(s + "\n")
			if err != nil {
				return saved, r.redirErr("%v", err)
			}
			put(n, f)
			continue
		}
		target, err := r.redirTarget(rd.Word)
		if err != nil {
			return saved, err
		}
		switch rd.Op {
		case syntax.DplIn, syntax.DplOut:
			if n < 0 {
				n = 0
				if rd.Op == syntax.DplOut {
					n = 1
				}
			}
			if target == "-" {
				put(n, nil)
				continue
			}
			src, err := strconv.Atoi(strings.TrimSuffix(target, "-"))
			if err == nil && src == n {
				continue // n>&n and n>&n- leave n as it is
			}
			if err != nil {
				if rd.Op == syntax.DplOut && rd.N == nil {
					// >&file is &>file
					f, err := r.openRedir(target, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC, true)
					if err != nil {
						return saved, err
					}
					put(1, f)
					put(2, f.ref())
					continue
				}
				return saved, r.redirErr("%s: ambiguous redirect", target)
			}
			f := r.fds.get(src)
			if f == nil {
				return saved, r.redirErr("%d: Bad file descriptor", src)
			}
			put(n, f.ref())
			if strings.HasSuffix(target, "-") {
				put(src, nil)
			}
			continue
		}
		var flags int
		clobberCheck := false
		switch rd.Op {
		case syntax.RdrIn:
			if n < 0 {
				n = 0
			}
			flags = unix.O_RDONLY
		case syntax.RdrOut:
			flags = unix.O_WRONLY | unix.O_CREAT | unix.O_TRUNC
			clobberCheck = r.opts.noclobber
		case syntax.RdrClob:
			flags = unix.O_WRONLY | unix.O_CREAT | unix.O_TRUNC
		case syntax.AppOut:
			flags = unix.O_WRONLY | unix.O_CREAT | unix.O_APPEND
		case syntax.RdrInOut:
			if n < 0 {
				n = 0
			}
			flags = unix.O_RDWR | unix.O_CREAT
		case syntax.RdrAll, syntax.AppAll:
			flags = unix.O_WRONLY | unix.O_CREAT | unix.O_TRUNC
			if rd.Op == syntax.AppAll {
				flags = unix.O_WRONLY | unix.O_CREAT | unix.O_APPEND
			} else {
				clobberCheck = r.opts.noclobber
			}
			f, err := r.openRedir(target, flags, clobberCheck)
			if err != nil {
				return saved, err
			}
			put(1, f)
			put(2, f.ref())
			continue
		default:
			return saved, r.redirErr("unsupported redirection %s", rd.Op)
		}
		if n < 0 {
			n = 1
		}
		f, err := r.openRedir(target, flags, clobberCheck)
		if err != nil {
			return saved, err
		}
		put(n, f)
	}
	return saved, nil
}

// redirTarget expands a redirection's word without globbing. As in bash,
// an unquoted expansion is split, and must then give exactly one field
// (> $f with f='a b' is an ambiguous redirect, not a file named "a b").
func (r *Runner) redirTarget(w *syntax.Word) (string, error) {
	if hasUnquotedExpansion(w) {
		noglob := r.opts.noglob
		r.opts.noglob = true
		fs, err := r.fields(w)
		r.opts.noglob = noglob
		if err != nil {
			r.expandError(err)
			return "", err
		}
		if len(fs) != 1 {
			return "", r.redirErr("%s: ambiguous redirect", printNode(w))
		}
		return fs[0], nil
	}
	s, err := r.literal(w)
	if err != nil {
		r.expandError(err)
		return "", err
	}
	return s, nil
}

// redirErr reports a redirection error and returns it.
func (r *Runner) redirErr(format string, a ...any) error {
	err := fmt.Errorf(format, a...)
	r.errorf("%v", err)
	return err
}

// openRedir opens a redirection target relative to the state's directory.
func (r *Runner) openRedir(name string, flags int, noclobber bool) (*File, error) {
	path := r.devFdPath(r.abs(name))
	if noclobber {
		var st unix.Stat_t
		if unix.Stat(path, &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFREG {
			return nil, r.redirErr("%s: cannot overwrite existing file", name)
		}
		if unix.Stat(path, &st) != nil {
			flags |= unix.O_EXCL
		}
	}
	for {
		fd, err := unix.Open(path, flags|unix.O_CLOEXEC, uint32(0o666&^r.umask))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			if name == "" {
				return nil, r.redirErr(": No such file or directory")
			}
			return nil, r.redirErr("%s: %s", name, ErrorText(err))
		}
		return newFile(fd), nil
	}
}

// devFdPath maps /dev/stdin, /dev/stdout, /dev/stderr and /dev/fd/N to
// the OS descriptor behind the shell's descriptor of that number (a
// subshell or a redirected block has its own table in the same process,
// so the process's /dev/fd would name the wrong file); other paths are
// returned as they are. A number the shell has not open gives a path
// that does not exist.
func (r *Runner) devFdPath(path string) string {
	if len(path) < 8 || path[:5] != "/dev/" {
		return path
	}
	n := -1
	switch rest := path[5:]; rest {
	case "stdin":
		n = 0
	case "stdout":
		n = 1
	case "stderr":
		n = 2
	default:
		if len(rest) > 3 && rest[:3] == "fd/" {
			v, err := strconv.Atoi(rest[3:])
			if err != nil || v < 0 || rest[3] == '+' {
				return path
			}
			n = v
		}
	}
	if n < 0 {
		return path
	}
	fd := r.fdOf(n)
	if fd < 0 {
		return "/proc/self/fd/-1"
	}
	return "/proc/self/fd/" + strconv.Itoa(fd)
}

// heredoc returns a descriptor reading the here-document's body.
func (r *Runner) heredoc(rd *syntax.Redirect) (*File, error) {
	var body string
	if rd.Hdoc != nil {
		if quotedWord(rd.Word) {
			var b strings.Builder
			for _, p := range rd.Hdoc.Parts {
				if l, ok := p.(*syntax.Lit); ok {
					b.WriteString(l.Value)
				}
			}
			body = b.String()
		} else {
			var err error
			body, err = r.document(rd.Hdoc)
			if err != nil {
				r.reportExpandError(err)
				return nil, err
			}
		}
		if rd.Op == syntax.DashHdoc {
			body = stripTabs(body)
		}
	}
	return r.bodyFile(body)
}

// quotedWord reports whether any part of a here-document delimiter was
// quoted, which turns expansion in the body off.
func quotedWord(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.SglQuoted, *syntax.DblQuoted:
			return true
		case *syntax.Lit:
			if strings.IndexByte(p.Value, '\\') >= 0 {
				return true
			}
		}
	}
	return false
}

// bodyFile returns a readable descriptor with content: a pipe filled at
// once when it fits, else fed by a goroutine.
func (r *Runner) bodyFile(content string) (*File, error) {
	rd, wr, err := pipe()
	if err != nil {
		return nil, err
	}
	if len(content) <= 60*1024 {
		writeFd(wr.fd, []byte(content))
		wr.unref()
		return rd, nil
	}
	go func() {
		writeFd(wr.fd, []byte(content))
		wr.unref()
	}()
	return rd, nil
}

// stripTabs removes leading tabs from every line, for <<-.
func stripTabs(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, "\t")
	}
	return strings.Join(lines, "\n")
}

// fdLimit is one more than the highest descriptor number a redirection may
// use: the soft RLIMIT_NOFILE, as in bash, and at most 1<<20 (the table
// grows to the number).
func fdLimit() int {
	var rl unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &rl) != nil || rl.Cur > 1<<20 {
		return 1 << 20
	}
	return int(rl.Cur)
}

// namedFd handles bash's {var}> redirections: a new descriptor (10 or
// above) whose number is stored in var, or, to close with {var}>&-, the
// descriptor var names. var may be an array element, as in {a[1]}>&- for
// a coprocess's descriptor.
func (r *Runner) namedFd(rd *syntax.Redirect) (int, error) {
	v := rd.N.Value
	name := strings.TrimSuffix(strings.TrimPrefix(v, "{"), "}")
	if len(name)+2 != len(v) || !validVarRef(name) {
		return 0, r.redirErr("%s: bad file descriptor", v)
	}
	if (rd.Op == syntax.DplIn || rd.Op == syntax.DplOut) && rd.Word != nil && rd.Word.Lit() == "-" {
		n, err := strconv.Atoi(r.refValue(name))
		if err != nil || n < 0 {
			return 0, r.redirErr("%s: ambiguous redirect", v)
		}
		return n, nil
	}
	n := r.freeFd(10)
	if err := r.assignRef(name, strconv.Itoa(n)); err != nil {
		return 0, r.redirErr("%s", assignErr(name, err))
	}
	return n, nil
}

// refValue is the value of name or name[subscript], "" if unset.
func (r *Runner) refValue(ref string) string {
	if !strings.HasSuffix(ref, "]") {
		return r.getString(ref)
	}
	s, _ := r.elementValue(ref)
	return s
}

// elementValue expands ${ref}, ref being name[subscript] (expand does not
// look into a subscript held in a variable); false if it is no such
// reference or its expansion fails.
func (r *Runner) elementValue(ref string) (string, bool) {
	w, err := syntax.NewParser().Document(strings.NewReader("${" + ref + "}"))
	if err != nil || len(w.Parts) != 1 {
		return "", false
	}
	s, err := r.document(w)
	return s, err == nil
}

// hasUnquotedExpansion reports whether w has an expansion outside quotes,
// whose value field splitting applies to, or a quoted "$@".
func hasUnquotedExpansion(w *syntax.Word) bool {
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.ParamExp, *syntax.CmdSubst:
			return true
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if pe, ok := q.(*syntax.ParamExp); ok && isListParam(pe) {
					return true // "$@" can be several fields
				}
			}
		}
	}
	return false
}
