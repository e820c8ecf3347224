package shell

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// options are the shell's set -o options.
type options struct {
	allexport  bool // -a
	notify     bool // -b
	noclobber  bool // -C
	errexit    bool // -e
	errtrace   bool // -E: functions see the ERR trap
	functrace  bool // -T: functions see the RETURN trap
	physical   bool // -P: cd and pwd resolve symbolic links
	histexpand bool // -H: history expansion at the prompt (none in scripts)
	history    bool // set -o history: typed commands go into the history (on at the prompt)
	privileged bool // -p (accepted)
	nolog      bool // (accepted)
	// the options that are on by default are kept negated, so that the
	// zero value is the default
	noBraceExpand   bool // set +B
	noInterComments bool // set +o interactive-comments (accepted)
	noglob          bool // -f
	hashall         bool // -h
	interactive     bool // -i
	monitor         bool // -m
	noexec          bool // -n
	nounset         bool // -u
	verbose         bool // -v
	xtrace          bool // -x
	ignoreeof       bool
	pipefail        bool
	spawnmode       bool
	posix           bool
	vi, emacs       bool
	stdin           bool // -s, shown in $-
	cmdString       bool // -c, shown in $-
}

// optionDef names one option: its long name, its letter (0 for none) and
// where it lives.
type optionDef struct {
	name   string
	letter byte
	field  func(*options) *bool
}

// inverted reports whether the option's field holds its negation (the
// options that are on by default).
func (d *optionDef) inverted() bool {
	return d.name == "braceexpand" || d.name == "interactive-comments"
}

// get reports whether the option is on in o.
func (d *optionDef) get(o *options) bool { return *d.field(o) != d.inverted() }

// set turns the option on or off in o.
func (d *optionDef) set(o *options, on bool) { *d.field(o) = on != d.inverted() }

var optionDefs = []optionDef{
	{"allexport", 'a', func(o *options) *bool { return &o.allexport }},
	{"notify", 'b', func(o *options) *bool { return &o.notify }},
	{"noclobber", 'C', func(o *options) *bool { return &o.noclobber }},
	{"errexit", 'e', func(o *options) *bool { return &o.errexit }},
	{"errtrace", 'E', func(o *options) *bool { return &o.errtrace }},
	{"functrace", 'T', func(o *options) *bool { return &o.functrace }},
	{"braceexpand", 'B', func(o *options) *bool { return &o.noBraceExpand }},
	{"histexpand", 'H', func(o *options) *bool { return &o.histexpand }},
	{"history", 0, func(o *options) *bool { return &o.history }},
	{"physical", 'P', func(o *options) *bool { return &o.physical }},
	{"privileged", 'p', func(o *options) *bool { return &o.privileged }},
	{"interactive-comments", 0, func(o *options) *bool { return &o.noInterComments }},
	{"nolog", 0, func(o *options) *bool { return &o.nolog }},
	{"noglob", 'f', func(o *options) *bool { return &o.noglob }},
	{"hashall", 'h', func(o *options) *bool { return &o.hashall }},
	{"monitor", 'm', func(o *options) *bool { return &o.monitor }},
	{"noexec", 'n', func(o *options) *bool { return &o.noexec }},
	{"nounset", 'u', func(o *options) *bool { return &o.nounset }},
	{"verbose", 'v', func(o *options) *bool { return &o.verbose }},
	{"xtrace", 'x', func(o *options) *bool { return &o.xtrace }},
	{"ignoreeof", 0, func(o *options) *bool { return &o.ignoreeof }},
	{"pipefail", 0, func(o *options) *bool { return &o.pipefail }},
	{"spawnmode", 0, func(o *options) *bool { return &o.spawnmode }},
	{"posix", 0, func(o *options) *bool { return &o.posix }},
	{"vi", 0, func(o *options) *bool { return &o.vi }},
	{"emacs", 0, func(o *options) *bool { return &o.emacs }},
}

func optionByName(name string) *optionDef {
	for i := range optionDefs {
		if optionDefs[i].name == name {
			return &optionDefs[i]
		}
	}
	return nil
}

func optionByLetter(c byte) *optionDef {
	for i := range optionDefs {
		if optionDefs[i].letter == c {
			return &optionDefs[i]
		}
	}
	return nil
}

// flags returns $-.
func (o *options) flags(r *Runner) string {
	var b strings.Builder
	// as dash: the options that were set, without the always-on hashall
	// and without -c
	for _, d := range optionDefs {
		if d.letter != 0 && d.get(o) && d.letter != 'h' && d.letter != 'B' {
			b.WriteByte(d.letter)
		}
	}
	if o.interactive {
		b.WriteByte('i')
	}
	if o.stdin {
		b.WriteByte('s')
	}
	s := []byte(b.String())
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return string(s)
}

// shellOpts is bash's $SHELLOPTS: the set -o options that are on, sorted
// and separated by colons.
func (o *options) shellOpts() string {
	var on []string
	for _, d := range optionDefs {
		if d.get(o) {
			on = append(on, d.name)
		}
	}
	sort.Strings(on)
	return strings.Join(on, ":")
}

// SetOption turns a long-named option on or off, as set -o does.
func (r *Runner) SetOption(name string, on bool) error {
	d := optionByName(name)
	if d == nil {
		return fmt.Errorf("%s: invalid option name", name)
	}
	d.set(&r.opts, on)
	switch {
	case name == "vi" && on:
		r.opts.emacs = false // the editing modes exclude each other
	case name == "emacs" && on:
		r.opts.vi = false
	}
	r.optionsChanged()
	return nil
}

// SetFlag turns a single-letter option on or off, as set -x does.
func (r *Runner) SetFlag(c byte, on bool) error {
	switch c {
	case 'i':
		r.opts.interactive = on
		return nil
	case 's':
		r.opts.stdin = on
		return nil
	case 'c':
		r.opts.cmdString = on
		return nil
	}
	d := optionByLetter(c)
	if d == nil {
		return fmt.Errorf("-%c: invalid option", c)
	}
	d.set(&r.opts, on)
	r.optionsChanged()
	return nil
}

func (r *Runner) optionsChanged() {
	r.ecfg.NoUnset = r.opts.nounset
	if r.subshellDepth == 0 {
		r.sh.notify.Store(r.opts.notify)
		if r.opts.monitor && !r.sh.jobControl {
			r.startJobControl()
		} else if !r.opts.monitor && r.sh.jobControl {
			r.stopJobControl()
		}
	}
}

// printOptions writes set -o / set +o listings, sorted by name as bash's.
func (r *Runner) printOptions(plus bool) {
	w := r.stdout()
	defs := append([]optionDef(nil), optionDefs...)
	sort.Slice(defs, func(i, j int) bool { return defs[i].name < defs[j].name })
	for _, d := range defs {
		io.WriteString(w, optionLine(d.name, d.get(&r.opts), plus))
	}
}

// optionLine is one line of set -o (name and on/off) or, with reusable,
// of set +o (a set command that restores the setting).
func optionLine(name string, on, reusable bool) string {
	if reusable {
		sign := "+"
		if on {
			sign = "-"
		}
		return "set " + sign + "o " + name + "\n"
	}
	state := "off"
	if on {
		state = "on"
	}
	return fmt.Sprintf("%-15s\t%s\n", name, state)
}

// optsSave holds the set options a function's "local -" saved.
type optsSave struct {
	depth int
	opts  options
}

// restoreLocalOpts puts back the set options saved by "local -" in the
// function at depth (the first save of the function wins, as in bash).
func (r *Runner) restoreLocalOpts(depth int) {
	var saved *options
	for len(r.localOpts) > 0 {
		u := r.localOpts[len(r.localOpts)-1]
		if u.depth < depth {
			break
		}
		saved = &u.opts
		r.localOpts = r.localOpts[:len(r.localOpts)-1]
	}
	if saved == nil {
		return
	}
	o := *saved
	o.interactive, o.stdin, o.cmdString = r.opts.interactive, r.opts.stdin, r.opts.cmdString
	r.opts = o
	r.optionsChanged()
}
