package exec

import "golang.org/x/sys/unix"

// Env is an environment laid out once, as execve takes it, for any number of
// launches: a shell that runs a loop of commands builds it again only when
// its exported variables change (see [Spec.Environ]). An Env is never
// changed after [NewEnv] returns it, so launches may share it.
type Env struct {
	vars []string
	ptrs []*byte // nil-terminated; pointers into one NUL-separated buffer
}

// NewEnv lays out vars, "name=value" strings. It fails with unix.EINVAL when
// one of them holds a NUL byte, which an environment cannot carry.
func NewEnv(vars []string) (*Env, error) {
	ptrs, err := cStrings(vars)
	if err != nil {
		return nil, err
	}
	return &Env{vars: vars, ptrs: ptrs}, nil
}

// Vars returns the strings the Env was made of. The caller must not change
// them.
func (e *Env) Vars() []string { return e.vars }

// cStrings returns ss as a nil-terminated array of NUL-terminated strings,
// all in one allocation besides the array.
func cStrings(ss []string) ([]*byte, error) {
	n := 0
	for _, s := range ss {
		n += len(s) + 1
	}
	buf := make([]byte, 0, n)
	ptrs := make([]*byte, len(ss)+1)
	for i, s := range ss {
		for j := 0; j < len(s); j++ {
			if s[j] == 0 {
				return nil, unix.EINVAL
			}
		}
		off := len(buf)
		buf = append(buf, s...)
		buf = append(buf, 0)
		ptrs[i] = &buf[off]
	}
	return ptrs, nil
}
