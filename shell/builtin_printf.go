package shell

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

func init() {
	builtins["printf"] = printfBuiltin
}

// escape modes of appendEscapesMode.
const (
	escEcho   = iota // echo -e: \0NNN octal, \c stops
	escB             // printf %b: \0NNN and \NNN octal, \c stops
	escFormat        // printf format: \NNN octal (3 digits with the 0), no \c
)

// appendEscapes interprets backslash escapes as echo -e does (echo true)
// or as printf's %b does; it reports whether \c asked to stop output.
func appendEscapes(buf []byte, s string, echo bool) ([]byte, bool) {
	if echo {
		return appendEscapesMode(buf, s, escEcho)
	}
	return appendEscapesMode(buf, s, escB)
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func appendEscapesMode(buf []byte, s string, mode int) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			buf = append(buf, c)
			continue
		}
		i++
		c = s[i]
		switch c {
		case 'a':
			buf = append(buf, 7)
		case 'b':
			buf = append(buf, 8)
		case 'e', 'E':
			buf = append(buf, 27)
		case 'f':
			buf = append(buf, 12)
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'v':
			buf = append(buf, 11)
		case '\\':
			buf = append(buf, '\\')
		case 'c':
			if mode == escFormat {
				buf = append(buf, '\\', 'c')
				continue
			}
			return buf, true
		case '"', '\'', '?':
			if mode == escFormat {
				buf = append(buf, c)
			} else {
				buf = append(buf, '\\', c)
			}
		case 'x':
			v, n := 0, 0
			for n < 2 && i+1 < len(s) && hexVal(s[i+1]) >= 0 {
				i++
				v = v*16 + hexVal(s[i])
				n++
			}
			if n == 0 {
				buf = append(buf, '\\', 'x')
				continue
			}
			buf = append(buf, byte(v))
		case 'u', 'U':
			max := 4
			if c == 'U' {
				max = 8
			}
			v, n := 0, 0
			for n < max && i+1 < len(s) && hexVal(s[i+1]) >= 0 {
				i++
				v = v*16 + hexVal(s[i])
				n++
			}
			if n == 0 {
				buf = append(buf, '\\', c)
				continue
			}
			buf = utf8.AppendRune(buf, rune(v))
		default:
			if isOctal(c) && (c == '0' || mode != escEcho) {
				max := 3
				if c == '0' && mode != escFormat {
					max = 4 // \0 followed by up to three digits
				}
				v, n := 0, 0
				i--
				for n < max && i+1 < len(s) && isOctal(s[i+1]) {
					i++
					v = v*8 + int(s[i]-'0')
					n++
				}
				buf = append(buf, byte(v))
				continue
			}
			buf = append(buf, '\\', c)
		}
	}
	return buf, false
}

// printfState walks the arguments of one printf call.
type printfState struct {
	r      *Runner
	args   []string
	i      int
	status int
	stop   bool
}

func (p *printfState) next() (string, bool) {
	if p.i >= len(p.args) {
		return "", false
	}
	p.i++
	return p.args[p.i-1], true
}

func (p *printfState) invalid(arg, msg string) {
	p.r.errorf("printf: %s: %s", arg, msg)
	p.status = 1
}

// number parses a numeric argument as bash's printf does: leading blanks,
// a sign, 0x hex or 0 octal, or 'c for a character code.
func (p *printfState) number(arg string, unsigned bool) int64 {
	if arg == "" {
		return 0
	}
	if arg[0] == '\'' || arg[0] == '"' {
		if len(arg) == 1 {
			return 0
		}
		rn, size := utf8.DecodeRuneInString(arg[1:])
		if rn == utf8.RuneError && size <= 1 {
			return int64(arg[1])
		}
		return int64(rn)
	}
	s := strings.TrimLeft(arg, " \t\n\r\f\v")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	base := uint64(10)
	if len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && len(s) > 2 && hexVal(s[2]) >= 0 {
		base, s = 16, s[2:]
	} else if len(s) > 1 && s[0] == '0' {
		base = 8
	}
	var v uint64
	overflow := false
	j := 0
	for ; j < len(s); j++ {
		d := hexVal(s[j])
		if d < 0 || uint64(d) >= base {
			break
		}
		nv := v*base + uint64(d)
		if nv/base != v && !overflow {
			overflow = true
		}
		if (nv-uint64(d))/base != v {
			overflow = true
		}
		v = nv
	}
	if j == 0 || j < len(s) {
		p.invalid(arg, "invalid number")
	}
	var n int64
	switch {
	case unsigned && !neg && !overflow:
		n = int64(v)
	case overflow || (!neg && v > math.MaxInt64) || (neg && v > 1<<63):
		p.r.errorf("printf: warning: %s: Numerical result out of range", arg)
		p.status = 1
		if neg {
			n = math.MinInt64
		} else {
			n = math.MaxInt64
		}
		if unsigned && !neg {
			n = -1
		}
	case neg:
		n = -int64(v)
	default:
		n = int64(v)
	}
	return n
}

func (p *printfState) float(arg string) float64 {
	if arg == "" {
		return 0
	}
	if arg[0] == '\'' || arg[0] == '"' {
		return float64(p.number(arg, false))
	}
	s := strings.TrimLeft(arg, " \t\n\r\f\v")
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	} else if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return f
	}
	t := s
	if len(t) > 0 && (t[0] == '-' || t[0] == '+') {
		t = t[1:]
	}
	if len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
		return float64(p.number(arg, false))
	}
	// longest prefix that parses
	for k := len(s) - 1; k > 0; k-- {
		if f, err := strconv.ParseFloat(s[:k], 64); err == nil {
			p.invalid(arg, "invalid number")
			return f
		}
	}
	p.invalid(arg, "invalid number")
	return 0
}

// printfSpec is one parsed conversion.
type printfSpec struct {
	minus, plus, space, alt, zero bool
	width, prec                   int
	hasPrec                       bool
}

// pad pads s to the spec's width with spaces.
func (sp *printfSpec) pad(buf []byte, s string) []byte {
	n := sp.width - len(s)
	if !sp.minus {
		for ; n > 0; n-- {
			buf = append(buf, ' ')
		}
	}
	buf = append(buf, s...)
	for ; n > 0; n-- {
		buf = append(buf, ' ')
	}
	return buf
}

// padNumber pads a number made of sign and digits.
func (sp *printfSpec) padNumber(buf []byte, sign, digits string, zeroOK bool) []byte {
	n := sp.width - len(sign) - len(digits)
	if sp.zero && !sp.minus && zeroOK {
		buf = append(buf, sign...)
		for ; n > 0; n-- {
			buf = append(buf, '0')
		}
		return append(buf, digits...)
	}
	if !sp.minus {
		for ; n > 0; n-- {
			buf = append(buf, ' ')
		}
	}
	buf = append(buf, sign...)
	buf = append(buf, digits...)
	for ; n > 0; n-- {
		buf = append(buf, ' ')
	}
	return buf
}

func (sp *printfSpec) sign(neg bool) string {
	switch {
	case neg:
		return "-"
	case sp.plus:
		return "+"
	case sp.space:
		return " "
	}
	return ""
}

func (p *printfState) formatInt(buf []byte, sp *printfSpec, verb byte, arg string) []byte {
	unsigned := verb != 'd' && verb != 'i'
	n := p.number(arg, unsigned)
	var digits, prefix string
	neg := false
	switch verb {
	case 'd', 'i':
		if n < 0 {
			neg = true
			digits = strconv.FormatUint(uint64(-n), 10)
			if n == math.MinInt64 {
				digits = "9223372036854775808"
			}
		} else {
			digits = strconv.FormatInt(n, 10)
		}
	case 'u':
		digits = strconv.FormatUint(uint64(n), 10)
	case 'o':
		digits = strconv.FormatUint(uint64(n), 8)
	case 'x':
		digits = strconv.FormatUint(uint64(n), 16)
		if sp.alt && n != 0 {
			prefix = "0x"
		}
	case 'X':
		digits = strings.ToUpper(strconv.FormatUint(uint64(n), 16))
		if sp.alt && n != 0 {
			prefix = "0X"
		}
	}
	if sp.hasPrec {
		if sp.prec == 0 && n == 0 {
			digits = ""
		}
		if len(digits) < sp.prec {
			digits = strings.Repeat("0", sp.prec-len(digits)) + digits
		}
	}
	if verb == 'o' && sp.alt && (digits == "" || digits[0] != '0') {
		digits = "0" + digits
	}
	sign := prefix
	if !unsigned {
		sign = sp.sign(neg)
	}
	return sp.padNumber(buf, sign, digits, !sp.hasPrec)
}

func (p *printfState) formatFloat(buf []byte, sp *printfSpec, verb byte, arg string) []byte {
	f := p.float(arg)
	neg := math.Signbit(f)
	if neg {
		f = -f
	}
	upper := verb >= 'A' && verb <= 'Z'
	lower := verb | 0x20
	var digits string
	if math.IsInf(f, 0) || math.IsNaN(f) {
		digits = "inf"
		if math.IsNaN(f) {
			digits = "nan"
		}
		if upper {
			digits = strings.ToUpper(digits)
		}
		return sp.padNumber(buf, sp.sign(neg), digits, false)
	}
	prec := 6
	if sp.hasPrec {
		prec = sp.prec
	}
	switch lower {
	case 'f':
		digits = strconv.FormatFloat(f, 'f', prec, 64)
		if sp.alt && prec == 0 {
			digits += "."
		}
	case 'e':
		digits = strconv.FormatFloat(f, 'e', prec, 64)
		if sp.alt && prec == 0 {
			k := strings.IndexByte(digits, 'e')
			digits = digits[:k] + "." + digits[k:]
		}
	case 'g':
		if prec == 0 {
			prec = 1
		}
		e := strconv.FormatFloat(f, 'e', prec-1, 64)
		k := strings.IndexByte(e, 'e')
		x, _ := strconv.Atoi(e[k+1:])
		if x < prec && x >= -4 {
			digits = strconv.FormatFloat(f, 'f', prec-1-x, 64)
			if !sp.alt && strings.IndexByte(digits, '.') >= 0 {
				digits = strings.TrimRight(digits, "0")
				digits = strings.TrimSuffix(digits, ".")
			}
		} else {
			mant := e[:k]
			if !sp.alt && strings.IndexByte(mant, '.') >= 0 {
				mant = strings.TrimRight(mant, "0")
				mant = strings.TrimSuffix(mant, ".")
			}
			digits = mant + e[k:]
		}
	case 'a':
		digits = strconv.FormatFloat(f, 'x', -1, 64)
		if sp.hasPrec {
			digits = strconv.FormatFloat(f, 'x', prec, 64)
		}
	}
	if upper {
		digits = strings.ToUpper(digits)
	}
	return sp.padNumber(buf, sp.sign(neg), digits, true)
}

// once runs the format once over the arguments that remain.
func (p *printfState) once(buf []byte, format string) []byte {
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '\\' {
			j := i + 1
			if j >= len(format) {
				buf = append(buf, '\\')
				continue
			}
			// find the end of this escape and interpret it
			end := escapeEnd(format, i)
			buf, _ = appendEscapesMode(buf, format[i:end], escFormat)
			i = end - 1
			continue
		}
		if c != '%' {
			buf = append(buf, c)
			continue
		}
		start := i
		i++
		if i < len(format) && format[i] == '%' {
			buf = append(buf, '%')
			continue
		}
		var sp printfSpec
	flags:
		for ; i < len(format); i++ {
			switch format[i] {
			case '-':
				sp.minus = true
			case '+':
				sp.plus = true
			case ' ':
				sp.space = true
			case '#':
				sp.alt = true
			case '0':
				sp.zero = true
			default:
				break flags
			}
		}
		if i < len(format) && format[i] == '*' {
			a, _ := p.next()
			w := p.number(a, false)
			if w < 0 {
				sp.minus = true
				w = -w
			}
			if w < 0 { // -MinInt64
				w = 1 << 20
			}
			sp.width = int(min(w, 1<<20))
			i++
		} else {
			for ; i < len(format) && format[i] >= '0' && format[i] <= '9'; i++ {
				sp.width = min(sp.width*10+int(format[i]-'0'), 1<<20)
			}
		}
		if i < len(format) && format[i] == '.' {
			i++
			sp.hasPrec = true
			if i < len(format) && format[i] == '*' {
				a, _ := p.next()
				pr := p.number(a, false)
				if pr < 0 {
					sp.hasPrec = false
				} else {
					sp.prec = int(min(pr, 1<<20))
				}
				i++
			} else {
				for ; i < len(format) && format[i] >= '0' && format[i] <= '9'; i++ {
					sp.prec = min(sp.prec*10+int(format[i]-'0'), 1<<20)
				}
			}
		}
		for i < len(format) && strings.IndexByte("hlLjzt", format[i]) >= 0 {
			i++
		}
		if i >= len(format) {
			p.r.errorf("printf: `%s': missing format character", format[start:])
			p.status = 1
			p.stop = true
			return buf
		}
		verb := format[i]
		switch verb {
		case 's', 'q', 'b':
			a, _ := p.next()
			switch verb {
			case 'q':
				a = bashQuote(a)
			case 'b':
				var stop bool
				var tmp []byte
				tmp, stop = appendEscapesMode(make([]byte, 0, len(a)), a, escB)
				a = string(tmp)
				if stop {
					p.stop = true
				}
			}
			if sp.hasPrec && sp.prec < len(a) {
				a = a[:sp.prec]
			}
			buf = sp.pad(buf, a)
			if p.stop {
				return buf
			}
		case 'c':
			a, _ := p.next()
			if len(a) > 0 {
				a = a[:1]
			} else {
				a = "\x00" // as bash: the terminating NUL of the empty string
			}
			buf = sp.pad(buf, a)
		case 'd', 'i', 'u', 'o', 'x', 'X':
			a, _ := p.next()
			buf = p.formatInt(buf, &sp, verb, a)
		case 'e', 'E', 'f', 'F', 'g', 'G', 'a', 'A':
			a, _ := p.next()
			buf = p.formatFloat(buf, &sp, verb, a)
		case '(':
			// %(fmt)T: time formatting
			end := strings.Index(format[i:], ")T")
			if end < 0 {
				p.r.errorf("printf: `%c': invalid format character", verb)
				p.status = 1
				p.stop = true
				return buf
			}
			tf := format[i+1 : i+end]
			i += end + 1
			a, ok := p.next()
			ts := strftimeArg(tf, a, ok, p.r.timeZone())
			if sp.hasPrec && sp.prec < len(ts) {
				ts = ts[:sp.prec]
			}
			buf = sp.pad(buf, ts)
		default:
			p.r.errorf("printf: `%c': invalid format character", verb)
			p.status = 1
			p.stop = true
			return buf
		}
	}
	return buf
}

// escapeEnd returns the index just past the escape sequence at s[i].
func escapeEnd(s string, i int) int {
	j := i + 1
	if j >= len(s) {
		return j
	}
	c := s[j]
	j++
	max := 0
	switch {
	case isOctal(c):
		for k := 1; k < 3 && j < len(s) && isOctal(s[j]); k++ {
			j++
		}
		return j
	case c == 'x':
		max = 2
	case c == 'u':
		max = 4
	case c == 'U':
		max = 8
	default:
		return j
	}
	for k := 0; k < max && j < len(s) && hexVal(s[j]) >= 0; k++ {
		j++
	}
	return j
}

func printfBuiltin(r *Runner, args []string) int {
	args = args[1:]
	varName := ""
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			args = args[1:]
			break
		}
		if a == "-v" {
			if len(args) < 2 {
				r.errorf("printf: -v: option requires an argument")
				r.errWrite("printf: usage: printf [-v var] format [arguments]\n")
				return 2
			}
			varName = args[1]
			args = args[2:]
			continue
		}
		if strings.HasPrefix(a, "-v") {
			varName = a[2:]
			args = args[1:]
			continue
		}
		if len(a) > 1 && a[0] == '-' {
			r.errorf("printf: %s: invalid option", a[:2])
			r.errWrite("printf: usage: printf [-v var] format [arguments]\n")
			return 2
		}
		break
	}
	if varName != "" && !validVarRef(varName) {
		r.errorf("printf: `%s': not a valid identifier", varName)
		return 2
	}
	if len(args) == 0 {
		r.errorf("printf: usage: printf [-v var] format [arguments]")
		return 2
	}
	format := args[0]
	p := printfState{r: r, args: args[1:]}
	var buf []byte
	for {
		before := p.i
		buf = p.once(buf, format)
		if p.stop || p.i >= len(p.args) || p.i == before {
			break
		}
		if varName == "" && len(buf) >= 1<<16 {
			if st := r.outBytes(buf); st != 0 {
				return st
			}
			buf = buf[:0]
		}
	}
	if varName != "" {
		if err := r.assignRef(varName, string(buf)); err != nil {
			r.errorf("%v", err)
			return 1
		}
		return p.status
	}
	if len(buf) > 0 {
		if st := r.outBytes(buf); st != 0 {
			return st
		}
	}
	return p.status
}

// validVarRef accepts name or name[subscript].
func validVarRef(s string) bool {
	if i := strings.IndexByte(s, '['); i > 0 && strings.HasSuffix(s, "]") {
		return checkName(s[:i])
	}
	return checkName(s)
}

// assignRef assigns a string to name or name[subscript].
func (r *Runner) assignRef(ref, val string) error {
	if i := strings.IndexByte(ref, '['); i > 0 && strings.HasSuffix(ref, "]") {
		if name := ref[:i]; checkName(name) && r.Get(r.refTarget(name)).Kind == expand.Associative {
			// the key as written: h[a b], h[$x] are keys, not expressions
			key := &syntax.Word{Parts: []syntax.WordPart{&syntax.SglQuoted{Value: ref[i+1 : len(ref)-1]}}}
			return r.assignIndex(&syntax.Assign{Name: &syntax.Lit{Value: name}, Index: key}, val)
		}
		as, err := parseIndexRef(ref)
		if err != nil {
			return err
		}
		return r.assignIndex(as, val)
	}
	return r.setString(ref, val)
}

// bashQuote quotes s as bash's printf %q does: backslashes before special
// characters, or $'...' when s holds non-printable characters.
func bashQuote(s string) string {
	if s == "" {
		return "''"
	}
	for i := 0; i < len(s); {
		rn, size := utf8.DecodeRuneInString(s[i:])
		if (rn == utf8.RuneError && size <= 1) || rn < 0x20 || rn == 0x7f || (rn >= 0x80 && rn < 0xa0) {
			return ansicQuote(s)
		}
		i += size
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ' ', '\t', '\n', '!', '"', '$', '&', '\'', '(', ')', '*', ',', ';', '<', '>', '?', '[', '\\', ']', '^', '`', '{', '|', '}':
			b.WriteByte('\\')
		case '#':
			if i == 0 {
				b.WriteByte('\\')
			}
		case '~':
			if i == 0 || s[i-1] == ':' || s[i-1] == '=' {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func ansicQuote(s string) string {
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); {
		rn, size := utf8.DecodeRuneInString(s[i:])
		c := s[i]
		if rn == utf8.RuneError && size <= 1 {
			b.WriteString("\\" + strconv.FormatInt(int64(c)|0o1000, 8)[1:])
			i++
			continue
		}
		i += size
		switch rn {
		case 7:
			b.WriteString(`\a`)
		case 8:
			b.WriteString(`\b`)
		case 27:
			b.WriteString(`\E`)
		case 12:
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case 11:
			b.WriteString(`\v`)
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		default:
			if rn < 0x20 || rn == 0x7f || (rn >= 0x80 && rn < 0xa0) {
				for k := i - size; k < i; k++ {
					b.WriteString("\\" + strconv.FormatInt(int64(s[k])|0o1000, 8)[1:])
				}
				continue
			}
			b.WriteString(s[i-size : i])
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// parseIndexRef parses "name[subscript]" into an assignment node.
func parseIndexRef(ref string) (*syntax.Assign, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(ref+"="), "")
	if err == nil && len(f.Stmts) == 1 {
		if c, ok := f.Stmts[0].Cmd.(*syntax.CallExpr); ok && len(c.Assigns) == 1 && len(c.Args) == 0 && c.Assigns[0].Index != nil {
			as := c.Assigns[0]
			as.Value = nil
			return as, nil
		}
	}
	return nil, fmt.Errorf("`%s': not a valid identifier", ref)
}

// strftimeArg formats a time for printf's %(fmt)T: the argument is
// seconds since the epoch, -1 (or none) for now, -2 for the shell's start.
func strftimeArg(format, arg string, ok bool, loc *time.Location) string {
	t := time.Now()
	if ok && arg != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(arg), 10, 64)
		switch {
		case err != nil:
		case n == -1:
		case n == -2:
		default:
			t = time.Unix(n, 0)
		}
	}
	if format == "" {
		format = "%X"
	}
	s := strftime(format, t.In(loc))
	if len(s) >= strftimeMax {
		return "" // bash's buffer is full: strftime(3) gives nothing
	}
	return s
}

// strftimeMax is the size of bash's buffer for one %(fmt)T.
const strftimeMax = 128

// timeZone is the zone of the shell's exported TZ variable, as the C
// library would use it in a child; the process's own zone otherwise.
func (r *Runner) timeZone() *time.Location {
	v := r.Get("TZ")
	if !v.IsSet() || !v.Exported {
		return time.Local
	}
	tz := strings.TrimPrefix(v.String(), ":")
	if tz == "" {
		return time.UTC
	}
	if loc, err := time.LoadLocation(tz); err == nil {
		return loc
	}
	return time.UTC
}

// strftime implements the common conversions of strftime(3).
func strftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		switch format[i] {
		case 'Y':
			b.WriteString(strconv.Itoa(t.Year()))
		case 'C':
			fmt.Fprintf(&b, "%02d", t.Year()/100)
		case 'y':
			fmt.Fprintf(&b, "%02d", t.Year()%100)
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'I':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			fmt.Fprintf(&b, "%02d", h)
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case 'p':
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'a':
			b.WriteString(t.Format("Mon"))
		case 'A':
			b.WriteString(t.Format("Monday"))
		case 'b', 'h':
			b.WriteString(t.Format("Jan"))
		case 'B':
			b.WriteString(t.Format("January"))
		case 'Z':
			b.WriteString(t.Format("MST"))
		case 'z':
			b.WriteString(t.Format("-0700"))
		case 's':
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case 'u':
			wd := int(t.Weekday())
			if wd == 0 {
				wd = 7
			}
			b.WriteString(strconv.Itoa(wd))
		case 'w':
			b.WriteString(strconv.Itoa(int(t.Weekday())))
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '%':
			b.WriteByte('%')
		case 'F':
			b.WriteString(strftime("%Y-%m-%d", t))
		case 'T', 'X':
			b.WriteString(strftime("%H:%M:%S", t))
		case 'R':
			b.WriteString(strftime("%H:%M", t))
		case 'D', 'x':
			b.WriteString(strftime("%m/%d/%y", t))
		case 'c':
			b.WriteString(strftime("%a %b %e %H:%M:%S %Y", t))
		default:
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	return b.String()
}
