package shell

import (
	"fmt"
	"strconv"
	"strings"
)

// bash's directory stack: pushd, popd and dirs. The stack's top is the
// current directory; r.dirStack holds the entries below it.

func init() {
	builtins["pushd"] = pushdBuiltin
	builtins["popd"] = popdBuiltin
	builtins["dirs"] = dirsBuiltin
}

// dirEntries is the whole stack, top first.
func (r *Runner) dirEntries() []string {
	return append([]string{r.getString("PWD")}, r.dirStack...)
}

// stackIndex turns +N (from the top) or -N (from the bottom) into an
// index of a stack of n entries; ok is false for another word or one out
// of range.
func stackIndex(arg string, n int) (int, bool) {
	if len(arg) < 2 || arg[0] != '+' && arg[0] != '-' {
		return 0, false
	}
	k, err := strconv.Atoi(arg[1:])
	if err != nil || k < 0 || k >= n {
		return -1, true
	}
	if arg[0] == '-' {
		k = n - 1 - k
	}
	return k, true
}

// chdirQuiet changes directory as cd does.
func (r *Runner) chdirQuiet(dir string) bool {
	return cdBuiltin(r, []string{"cd", "--", dir}) == 0
}

// dirStackOptions takes pushd's and popd's options off args (the builtin's
// name first): -n (change the stack only, not the directory) and --.
func dirStackOptions(args []string) (noCd bool, rest []string) {
	args = args[1:]
	if len(args) > 0 && args[0] == "-n" {
		noCd, args = true, args[1:]
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	return noCd, args
}

func pushdBuiltin(r *Runner, args []string) int {
	noCd, args := dirStackOptions(args)
	if len(args) > 1 {
		r.errorf("pushd: too many arguments")
		return 1
	}
	all := r.dirEntries()
	switch {
	case len(args) == 0:
		if len(r.dirStack) == 0 {
			r.errorf("pushd: no other directory")
			return 1
		}
		all[0], all[1] = all[1], all[0]
	default:
		if k, ok := stackIndex(args[0], len(all)); ok {
			if k < 0 {
				r.errorf("pushd: %s: directory stack index out of range", args[0])
				return 1
			}
			all = append(all[k:], all[:k]...) // rotate
			break
		}
		all = append([]string{args[0]}, all...)
	}
	if noCd {
		// the new entry goes below the current directory
		all[0], all[1] = all[1], all[0]
		r.dirStack = all[1:]
		return dirsBuiltin(r, []string{"dirs"})
	}
	if err := dirError(r.cdTarget(all[0], r.opts.physical)); err != nil {
		r.errorf("pushd: %s: %s", all[0], ErrorText(err))
		return 1
	}
	if !r.chdirQuiet(all[0]) {
		return 1
	}
	r.dirStack = all[1:]
	return dirsBuiltin(r, []string{"dirs"})
}

func popdBuiltin(r *Runner, args []string) int {
	noCd, args := dirStackOptions(args)
	if len(r.dirStack) == 0 {
		r.errorf("popd: directory stack empty")
		return 1
	}
	all := r.dirEntries()
	k := 0
	if len(args) > 0 {
		var ok bool
		if k, ok = stackIndex(args[0], len(all)); !ok {
			r.errorf("popd: %s: invalid argument", args[0])
			return 2
		}
		if k < 0 {
			r.errorf("popd: %s: directory stack index out of range", args[0])
			return 1
		}
	}
	if k == 0 && !noCd {
		if !r.chdirQuiet(all[1]) {
			return 1
		}
		r.dirStack = all[2:]
	} else {
		if k == 0 {
			k = 1 // popd -n removes the entry below the top
		}
		r.dirStack = append(append([]string(nil), all[1:k]...), all[k+1:]...)
	}
	return dirsBuiltin(r, []string{"dirs"})
}

func dirsBuiltin(r *Runner, args []string) int {
	long, lines, verbose := false, false, false
	var pick string
	for _, a := range args[1:] {
		switch {
		case a == "-c":
			r.dirStack = nil
			return 0
		case a == "-l":
			long = true
		case a == "-p":
			lines = true
		case a == "-v":
			lines, verbose = true, true
		case len(a) > 1 && (a[0] == '+' || a[0] == '-') && a[1] >= '0' && a[1] <= '9':
			pick = a
		default:
			r.errorf("dirs: %s: invalid option", a)
			fmt.Fprintf(r.stderr(), "dirs: usage: dirs [-clpv] [+N] [-N]\n")
			return 2
		}
	}
	all := r.dirEntries()
	if !long {
		for i, d := range all {
			all[i] = r.tildeDir(d)
		}
	}
	if pick != "" {
		k, _ := stackIndex(pick, len(all))
		if k < 0 {
			r.errorf("dirs: %s: directory stack index out of range", pick)
			return 1
		}
		return r.out(all[k] + "\n")
	}
	var b strings.Builder
	for i, d := range all {
		switch {
		case verbose:
			fmt.Fprintf(&b, "%2d  %s\n", i, d)
		case lines:
			b.WriteString(d + "\n")
		default:
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(d)
		}
	}
	if !lines {
		b.WriteByte('\n')
	}
	return r.out(b.String())
}
