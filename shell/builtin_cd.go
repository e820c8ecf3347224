package shell

import (
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/expand"
)

func init() {
	builtins["cd"] = cdBuiltin
	builtins["pwd"] = pwdBuiltin
	builtins["chdir"] = cdBuiltin // a synonym, as in busybox ash and osh
}

// cleanLogical removes . and .. components of an absolute path textually,
// as cd -L does. Like bash, it checks that what a .. removes is a
// directory; when it is not, it returns "" (cd nonexistent/.. fails).
// The first trusted components (the current directory's, which may have
// been removed since) are taken off unchecked, as bash does.
func cleanLogical(p string, trusted int) string {
	parts := strings.Split(p, "/")
	out := make([]string, 0, len(parts))
	for _, c := range parts {
		switch c {
		case "", ".":
		case "..":
			if len(out) > 0 {
				if len(out) > trusted {
					var st unix.Stat_t
					if unix.Stat("/"+strings.Join(out, "/"), &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFDIR {
						return ""
					}
				}
				out = out[:len(out)-1]
				trusted = min(trusted, len(out))
			}
		default:
			out = append(out, c)
		}
	}
	s := "/" + strings.Join(out, "/")
	if strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "///") {
		s = "/" + s
	}
	return s
}

// dirError checks that p is a directory the shell can enter.
func dirError(p string) error {
	if p == "" {
		return unix.ENOENT
	}
	var st unix.Stat_t
	if err := unix.Stat(p, &st); err != nil {
		return err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return unix.ENOTDIR
	}
	if err := unix.Access(p, unix.X_OK); err != nil {
		return err
	}
	return nil
}

func cdBuiltin(r *Runner, args []string) int {
	args = args[1:]
	physical := r.opts.physical
	opts, args, bad, missing := builtinGetopt(args, "LPe@")
	if bad != "" {
		return r.optError("cd", bad, missing, "cd: usage: cd [-L|[-P [-e]] [-@]] [dir]\n")
	}
	for _, o := range opts {
		switch o.c {
		case 'L':
			physical = false
		case 'P':
			physical = true
		}
	}
	if len(args) > 1 {
		r.errorf("cd: too many arguments")
		return 1
	}
	var dir string
	print := false
	if len(args) == 0 {
		home := r.Get("HOME")
		if !home.IsSet() {
			r.errorf("cd: HOME not set")
			return 1
		}
		dir = home.String()
		if dir == "" {
			return 0
		}
	} else {
		dir = args[0]
		if dir == "-" {
			old := r.Get("OLDPWD")
			if !old.IsSet() || old.String() == "" {
				r.errorf("cd: OLDPWD not set")
				return 1
			}
			dir = old.String()
			print = true
		}
	}
	if dir == "" {
		return 0
	}
	target := ""
	if dir[0] != '/' && !strings.HasPrefix(dir, "./") && !strings.HasPrefix(dir, "../") && dir != "." && dir != ".." {
		if cdpath := r.getString("CDPATH"); cdpath != "" {
			for entry := range strings.SplitSeq(cdpath, ":") {
				cand := dir
				if entry != "" {
					cand = strings.TrimSuffix(entry, "/") + "/" + dir
				}
				full := r.cdTarget(cand, physical)
				if dirError(full) == nil {
					target = full
					if entry != "" {
						print = true
					}
					break
				}
			}
		}
	}
	if target == "" {
		target = r.cdTarget(dir, physical)
		if err := dirError(target); err != nil {
			if !physical {
				// bash retries the name as given, relative to the real directory
				if alt := r.abs(dir); alt != target && dirError(alt) == nil {
					target = alt
					physical = true
					goto ok
				}
			}
			r.errorf("cd: %s: %s", dir, ErrorText(err))
			return 1
		}
	}
ok:
	if physical {
		if p, err := filepath.EvalSymlinks(target); err == nil {
			target = p
		}
	}
	oldpwd := r.dir
	if v := r.Get("PWD"); v.IsSet() && v.String() != "" {
		oldpwd = v.String()
	}
	r.dir = target
	if r.subshellDepth == 0 && r.sh.procDir.Load() != nil && unix.Chdir(target) == nil {
		r.sh.procDir.Store(&target)
	}
	if err := r.Set("OLDPWD", expand.Variable{Set: true, Kind: expand.String, Str: oldpwd, Exported: true}); err != nil {
		r.errorf("%v", err)
	}
	if err := r.setString("PWD", target); err != nil {
		r.errorf("%v", err)
		return 1
	}
	if print {
		return r.out(target + "\n")
	}
	return 0
}

// cdTarget makes dir absolute against the state's directory; logically,
// . and .. are removed textually.
func (r *Runner) cdTarget(dir string, physical bool) string {
	p := dir
	trusted := 0
	if p[0] != '/' {
		base := r.dir
		if base == "" {
			base = "/"
		}
		p = strings.TrimSuffix(base, "/") + "/" + p
		if !physical {
			trusted = strings.Count(strings.Trim(base, "/"), "/") + 1
			if strings.Trim(base, "/") == "" {
				trusted = 0
			}
		}
	}
	if physical {
		return p
	}
	return cleanLogical(p, trusted)
}

func pwdBuiltin(r *Runner, args []string) int {
	physical := r.opts.physical
	opts, _, bad, missing := builtinGetopt(args[1:], "LP")
	if bad != "" {
		return r.optError("pwd", bad, missing, "pwd: usage: pwd [-LP]\n")
	}
	for _, o := range opts {
		physical = o.c == 'P'
	}
	dir := r.dir
	if physical {
		if p, err := filepath.EvalSymlinks(dir); err == nil {
			dir = p
		}
	}
	return r.out(dir + "\n")
}
