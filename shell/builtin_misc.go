package shell

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/syntax"
)

func init() {
	builtins["let"] = letBuiltin
	builtins["ulimit"] = ulimitBuiltin
}

// letBuiltin is let called by name (command let, builtin let); the parser
// handles the plain let keyword.
func letBuiltin(r *Runner, args []string) int {
	if len(args) < 2 {
		r.errorf("let: expression expected")
		return 1
	}
	exprs := make([]syntax.ArithmExpr, 0, len(args)-1)
	for _, a := range args[1:] {
		x, err := parseArithText(a)
		if err != nil {
			r.errorf("let: %v", err)
			return 1
		}
		exprs = append(exprs, x)
	}
	return r.arithStatus(exprs...)
}

type rlimitDef struct {
	letter   byte
	resource int
	factor   uint64
	desc     string
}

var rlimitDefs = []rlimitDef{
	{'R', unix.RLIMIT_RTTIME, 1, "real-time non-blocking time  (microseconds, -R)"},
	{'c', unix.RLIMIT_CORE, 1024, "core file size              (blocks, -c)"},
	{'d', unix.RLIMIT_DATA, 1024, "data seg size               (kbytes, -d)"},
	{'e', unix.RLIMIT_NICE, 1, "scheduling priority                 (-e)"},
	{'f', unix.RLIMIT_FSIZE, 512, "file size                   (blocks, -f)"},
	{'i', unix.RLIMIT_SIGPENDING, 1, "pending signals                     (-i)"},
	{'l', unix.RLIMIT_MEMLOCK, 1024, "max locked memory           (kbytes, -l)"},
	{'m', unix.RLIMIT_RSS, 1024, "max memory size             (kbytes, -m)"},
	{'n', unix.RLIMIT_NOFILE, 1, "open files                          (-n)"},
	{'q', unix.RLIMIT_MSGQUEUE, 1, "POSIX message queues         (bytes, -q)"},
	{'r', unix.RLIMIT_RTPRIO, 1, "real-time priority                  (-r)"},
	{'s', unix.RLIMIT_STACK, 1024, "stack size                  (kbytes, -s)"},
	{'t', unix.RLIMIT_CPU, 1, "cpu time                   (seconds, -t)"},
	{'u', unix.RLIMIT_NPROC, 1, "max user processes                  (-u)"},
	{'v', unix.RLIMIT_AS, 1024, "virtual memory              (kbytes, -v)"},
	{'x', unix.RLIMIT_LOCKS, 1, "file locks                          (-x)"},
}

// ulimitBuiltin shows and sets resource limits. Limits belong to the
// process, so only the main shell state may change them.
func ulimitBuiltin(r *Runner, args []string) int {
	hard, soft, all := false, false, false
	var which []rlimitDef
	spec := "HSa"
	for _, d := range rlimitDefs {
		spec += string(d.letter)
	}
	opts, operands, bad, missing := builtinGetopt(args[1:], spec)
	if bad != "" {
		return r.optError("ulimit", bad, missing, "ulimit: usage: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]\n")
	}
	for _, o := range opts {
		switch o.c {
		case 'H':
			hard = true
		case 'S':
			soft = true
		case 'a':
			all = true
		default:
			for _, d := range rlimitDefs {
				if d.letter == o.c {
					which = append(which, d)
				}
			}
		}
	}
	// one resource at a time (as dash and osh), and at most one limit
	if len(which) > 1 || all && (len(which) > 0 || len(operands) > 0) || len(operands) > 1 {
		r.errorf("ulimit: too many arguments")
		return 2
	}
	if all {
		which = rlimitDefs
	}
	if len(which) == 0 {
		which = []rlimitDef{rlimitDefs[4]} // -f
	}
	show := func(v uint64, d rlimitDef) string {
		if v == unix.RLIM_INFINITY {
			return "unlimited"
		}
		return strconv.FormatUint(v/d.factor, 10)
	}
	if len(operands) == 0 || all {
		var b strings.Builder
		for _, d := range which {
			var rl unix.Rlimit
			if err := unix.Getrlimit(d.resource, &rl); err != nil {
				r.errorf("ulimit: cannot get limit: %s", ErrorText(err))
				return 1
			}
			v := rl.Cur
			if hard && !soft {
				v = rl.Max
			}
			if len(which) > 1 {
				fmt.Fprintf(&b, "%s %s\n", d.desc, show(v, d))
			} else {
				b.WriteString(show(v, d) + "\n")
			}
		}
		return r.out(b.String())
	}
	val := operands[0]
	if r.subshellDepth > 0 {
		// subshells are goroutines of this process: a limit set here would
		// apply to the whole shell
		r.errorf("ulimit: cannot change limits in a subshell")
		return 1
	}
	if !hard && !soft {
		hard, soft = true, true
	}
	for _, d := range which {
		var rl unix.Rlimit
		if err := unix.Getrlimit(d.resource, &rl); err != nil {
			r.errorf("ulimit: cannot get limit: %s", ErrorText(err))
			return 1
		}
		var v uint64
		switch val {
		case "unlimited":
			v = unix.RLIM_INFINITY
		case "hard":
			v = rl.Max
		case "soft":
			v = rl.Cur
		default:
			n, err := strconv.ParseUint(val, 10, 64)
			if err != nil {
				r.errorf("ulimit: %s: invalid number", val)
				return 1
			}
			v = n * d.factor
			if v/d.factor != n || v == unix.RLIM_INFINITY {
				r.errorf("ulimit: %s: limit out of range", val)
				return 1
			}
		}
		if hard {
			rl.Max = v
		}
		if soft {
			rl.Cur = v
		}
		if err := unix.Setrlimit(d.resource, &rl); err != nil {
			r.errorf("ulimit: %s: cannot modify limit: %s", strings.TrimSpace(d.desc[:strings.IndexByte(d.desc, '(')]), ErrorText(err))
			return 1
		}
	}
	return 0
}
