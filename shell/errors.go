package shell

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// errorf writes an error message in the usual form:
// "spork: line 3: msg" (with the script's name for script files).
func (r *Runner) errorf(format string, a ...any) {
	var b bytes.Buffer
	b.WriteString(r.sh.Name)
	b.WriteString(": ")
	name := r.sh.Script
	if len(r.srcStack) > 0 {
		// the file whose commands run: a sourced one, or the one that
		// defined the running function (bash)
		if f := r.curFile(); f != "main" {
			name = f
		}
	}
	if name != "" {
		b.WriteString(name)
		b.WriteString(": ")
	}
	if !r.sh.Interactive || r.subshellDepth > 0 || r.sourceDepth > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(int(r.line)))
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, format, a...)
	b.WriteByte('\n')
	fd := r.fdOf(2)
	if fd < 0 {
		return
	}
	writeFd(fd, b.Bytes())
}

// signalDescription is the text a shell prints for a process killed by
// sig.
func signalDescription(sig unix.Signal) string {
	switch sig {
	case unix.SIGHUP:
		return "Hangup"
	case unix.SIGINT:
		return "Interrupt"
	case unix.SIGQUIT:
		return "Quit"
	case unix.SIGILL:
		return "Illegal instruction"
	case unix.SIGTRAP:
		return "Trace/breakpoint trap"
	case unix.SIGABRT:
		return "Aborted"
	case unix.SIGBUS:
		return "Bus error"
	case unix.SIGFPE:
		return "Floating point exception"
	case unix.SIGKILL:
		return "Killed"
	case unix.SIGUSR1:
		return "User defined signal 1"
	case unix.SIGSEGV:
		return "Segmentation fault"
	case unix.SIGUSR2:
		return "User defined signal 2"
	case unix.SIGPIPE:
		return "Broken pipe"
	case unix.SIGALRM:
		return "Alarm clock"
	case unix.SIGTERM:
		return "Terminated"
	case unix.SIGSTOP, unix.SIGTSTP:
		return "Stopped"
	case unix.SIGXCPU:
		return "CPU time limit exceeded"
	case unix.SIGXFSZ:
		return "File size limit exceeded"
	}
	return "Signal " + strconv.Itoa(int(sig))
}

// ErrorText is an error's text as a shell prints it: the system's message
// for an errno (without the path of a PathError), capitalised.
func ErrorText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	s := err.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
