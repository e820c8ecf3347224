package shell

import (
	"fmt"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// arithError is an arithmetic evaluation error, reported as bash does:
// "expr: message (error token is "tok")".
type arithError struct {
	expr, msg, token string
}

func (e arithError) Error() string {
	if e.token != "" {
		return fmt.Sprintf("%s: %s (error token is \"%s\")", e.expr, e.msg, e.token)
	}
	return fmt.Sprintf("%s: %s", e.expr, e.msg)
}

// arith evaluates an arithmetic expression with 64-bit integers.
func (r *Runner) arith(x syntax.ArithmExpr) (int, error) {
	n, err := r.arithEval(x, 0)
	return int(n), err
}

const maxArithDepth = 1024

func (r *Runner) arithEval(x syntax.ArithmExpr, depth int) (int64, error) {
	if depth > maxArithDepth {
		return 0, arithError{arithSource(x), "expression recursion level exceeded", ""}
	}
	switch x := x.(type) {
	case *syntax.Word:
		if lit := x.Lit(); lit != "" {
			if c := lit[0]; c >= '0' && c <= '9' {
				return parseArithNumber(lit)
			}
			if syntax.ValidName(lit) {
				return r.arithVar(lit, depth)
			}
		}
		if len(x.Parts) == 1 {
			if pe, ok := x.Parts[0].(*syntax.ParamExp); ok && pe.Short && pe.Index != nil && !pe.Dollar.IsValid() {
				// a[i] inside arithmetic (a missing element is 0, even under
				// set -u, as in bash)
				nounset := r.opts.nounset
				r.opts.nounset = r.opts.nounset && r.Get(pe.Param.Value).Kind != expand.Indexed
				s, err := r.literal(&syntax.Word{Parts: []syntax.WordPart{&syntax.ParamExp{Short: false, Param: pe.Param, Index: pe.Index}}})
				r.opts.nounset = nounset
				if err != nil {
					return 0, err
				}
				return r.arithString(s, depth)
			}
		}
		s, err := r.literal(x)
		if err != nil {
			return 0, err
		}
		return r.arithString(s, depth)
	case *syntax.ParenArithm:
		return r.arithEval(x.X, depth+1)
	case *syntax.UnaryArithm:
		switch x.Op {
		case syntax.Inc, syntax.Dec:
			if !x.Post && !arithLvalue(x.X) {
				// --3 and ++$x (a number once expanded) are two signs,
				// as in bash and dash
				return r.arithEval(x.X, depth+1)
			}
			old, err := r.arithEval(x.X, depth+1)
			if err != nil {
				return 0, err
			}
			val := old + 1
			if x.Op == syntax.Dec {
				val = old - 1
			}
			if err := r.arithAssign(x.X, val); err != nil {
				return 0, err
			}
			if x.Post {
				return old, nil
			}
			return val, nil
		}
		v, err := r.arithEval(x.X, depth+1)
		if err != nil {
			return 0, err
		}
		switch x.Op {
		case syntax.Not:
			return b2i(v == 0), nil
		case syntax.BitNegation:
			return ^v, nil
		case syntax.Plus:
			return v, nil
		case syntax.Minus:
			return -v, nil
		}
	case *syntax.BinaryArithm:
		switch x.Op {
		case syntax.Assgn:
			v, err := r.arithEval(x.Y, depth+1)
			if err != nil {
				return 0, err
			}
			return v, r.arithAssign(x.X, v)
		case syntax.AddAssgn, syntax.SubAssgn, syntax.MulAssgn, syntax.QuoAssgn, syntax.RemAssgn,
			syntax.AndAssgn, syntax.OrAssgn, syntax.XorAssgn, syntax.ShlAssgn, syntax.ShrAssgn, syntax.PowAssgn:
			old, err := r.arithEval(x.X, depth+1)
			if err != nil {
				return 0, err
			}
			y, err := r.arithEval(x.Y, depth+1)
			if err != nil {
				return 0, err
			}
			v, err := binArith(assignOps[x.Op], old, y, x)
			if err != nil {
				return 0, err
			}
			return v, r.arithAssign(x.X, v)
		case syntax.TernQuest:
			c, err := r.arithEval(x.X, depth+1)
			if err != nil {
				return 0, err
			}
			b, ok := x.Y.(*syntax.BinaryArithm)
			if !ok || b.Op != syntax.TernColon {
				return 0, arithError{arithSource(x), "syntax error in expression", ""}
			}
			if c != 0 {
				return r.arithEval(b.X, depth+1)
			}
			return r.arithEval(b.Y, depth+1)
		case syntax.AndArit, syntax.OrArit:
			a, err := r.arithEval(x.X, depth+1)
			if err != nil {
				return 0, err
			}
			if x.Op == syntax.AndArit && a == 0 {
				return 0, nil
			}
			if x.Op == syntax.OrArit && a != 0 {
				return 1, nil
			}
			b, err := r.arithEval(x.Y, depth+1)
			if err != nil {
				return 0, err
			}
			return b2i(b != 0), nil
		}
		a, err := r.arithEval(x.X, depth+1)
		if err != nil {
			return 0, err
		}
		b, err := r.arithEval(x.Y, depth+1)
		if err != nil {
			return 0, err
		}
		return binArith(x.Op, a, b, x)
	}
	return 0, arithError{arithSource(x), "syntax error in expression", ""}
}

// assignOps maps each compound assignment (+= …) to its operator.
var assignOps = map[syntax.BinAritOperator]syntax.BinAritOperator{
	syntax.AddAssgn: syntax.Add, syntax.SubAssgn: syntax.Sub, syntax.MulAssgn: syntax.Mul,
	syntax.QuoAssgn: syntax.Quo, syntax.RemAssgn: syntax.Rem, syntax.AndAssgn: syntax.And,
	syntax.OrAssgn: syntax.Or, syntax.XorAssgn: syntax.Xor, syntax.ShlAssgn: syntax.Shl,
	syntax.ShrAssgn: syntax.Shr, syntax.PowAssgn: syntax.Pow,
}

func binArith(op syntax.BinAritOperator, a, b int64, x syntax.ArithmExpr) (int64, error) {
	switch op {
	case syntax.Add:
		return a + b, nil
	case syntax.Sub:
		return a - b, nil
	case syntax.Mul:
		return a * b, nil
	case syntax.Quo, syntax.Rem:
		if b == 0 {
			tok := "0"
			if bx, ok := x.(*syntax.BinaryArithm); ok {
				tok = arithSource(bx.Y)
			}
			return 0, arithError{arithSource(x), "division by 0", tok}
		}
		if b == -1 {
			if op == syntax.Quo {
				return -a, nil
			}
			return 0, nil
		}
		if op == syntax.Quo {
			return a / b, nil
		}
		return a % b, nil
	case syntax.Pow:
		if b < 0 {
			return 0, arithError{arithSource(x), "exponent less than 0", arithSource(x.(*syntax.BinaryArithm).Y)}
		}
		res := int64(1) // by squaring: 2**9999999999999999 must not loop that long
		for ; b > 0; b >>= 1 {
			if b&1 != 0 {
				res *= a
			}
			a *= a
		}
		return res, nil
	case syntax.Eql:
		return b2i(a == b), nil
	case syntax.Neq:
		return b2i(a != b), nil
	case syntax.Lss:
		return b2i(a < b), nil
	case syntax.Gtr:
		return b2i(a > b), nil
	case syntax.Leq:
		return b2i(a <= b), nil
	case syntax.Geq:
		return b2i(a >= b), nil
	case syntax.And:
		return a & b, nil
	case syntax.Or:
		return a | b, nil
	case syntax.Xor:
		return a ^ b, nil
	case syntax.Shl:
		return a << (uint64(b) & 63), nil
	case syntax.Shr:
		return a >> (uint64(b) & 63), nil
	case syntax.Comma:
		return b, nil
	case syntax.XorBool:
		return b2i((a != 0) != (b != 0)), nil
	}
	return 0, arithError{arithSource(x), "syntax error in expression", ""}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// arithVar evaluates a variable inside arithmetic: empty or unset is 0, a
// number is that number, anything else is evaluated as an expression.
func (r *Runner) arithVar(name string, depth int) (int64, error) {
	v := r.Get(name)
	if !v.IsSet() {
		if r.opts.nounset {
			return 0, expand.UnsetParameterError{Node: &syntax.ParamExp{Param: &syntax.Lit{Value: name}}, Message: "unbound variable"}
		}
		return 0, nil
	}
	switch v.Kind {
	case expand.Indexed:
		// an array stands for its element 0, as in bash
		vals, _ := indexedEntries(v)
		return r.arithString(vals[0], depth+1)
	case expand.Associative:
		return r.arithString(v.Map["0"], depth+1)
	}
	return r.arithString(v.String(), depth+1)
}

// arithString evaluates a string value as an arithmetic expression.
func (r *Runner) arithString(s string, depth int) (int64, error) {
	t := strings.TrimSpace(s)
	if len(t) != len(s) && strings.ContainsAny(s, "\r\v\f") {
		// only space, tab and newline are blanks in arithmetic
		return 0, arithError{s, "syntax error: operand expected", s}
	}
	if t == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil && (t[0] != '0' || len(t) == 1) &&
		!(len(t) > 2 && (t[0] == '-' || t[0] == '+') && t[1] == '0') {
		return n, nil
	}
	if syntax.ValidName(t) {
		if depth > maxArithDepth {
			return 0, arithError{t, "expression recursion level exceeded", t}
		}
		return r.arithVar(t, depth+1)
	}
	if depth > maxArithDepth {
		return 0, arithError{t, "expression recursion level exceeded", t}
	}
	x, err := parseArithText(t)
	if err != nil {
		return 0, err
	}
	return r.arithEval(x, depth+1)
}

// parseArithNumber parses an integer constant: decimal, 0 octal, 0x hex,
// or base#digits.
func parseArithNumber(s string) (int64, error) {
	base := 10
	digits := s
	switch {
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		base, digits = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, digits = 8, s[1:]
	default:
		if b, d, ok := strings.Cut(s, "#"); ok {
			n, err := strconv.Atoi(b)
			if err != nil || n < 2 || n > 64 {
				return 0, arithError{s, "invalid arithmetic base", s}
			}
			base, digits = n, d
		}
	}
	if digits == "" {
		return 0, arithError{s, "invalid number", s}
	}
	var n int64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		var d int
		switch {
		case c >= '0' && c <= '9':
			d = int(c - '0')
		case c >= 'a' && c <= 'z':
			d = int(c-'a') + 10
		case c >= 'A' && c <= 'Z':
			d = int(c-'A') + 10
			if base > 36 {
				d = int(c-'A') + 36
			}
		case c == '@':
			d = 62
		case c == '_':
			d = 63
		default:
			return 0, arithError{s, "invalid number", s}
		}
		if d >= base {
			return 0, arithError{s, "value too great for base", s}
		}
		n = n*int64(base) + int64(d)
	}
	return n, nil
}

// arithLvalue reports whether x names a variable or an array element,
// something ++ and -- can change.
func arithLvalue(x syntax.ArithmExpr) bool {
	w, ok := x.(*syntax.Word)
	if !ok {
		return false
	}
	if syntax.ValidName(w.Lit()) {
		return true
	}
	if len(w.Parts) == 1 {
		if pe, ok := w.Parts[0].(*syntax.ParamExp); ok && pe.Index != nil && !pe.Dollar.IsValid() {
			return true
		}
	}
	return false
}

// arithAssign stores v into the variable (or array element) named by x.
func (r *Runner) arithAssign(x syntax.ArithmExpr, v int64) error {
	w, ok := x.(*syntax.Word)
	if !ok {
		return arithError{arithSource(x), "attempted assignment to non-variable", arithSource(x)}
	}
	if name := w.Lit(); syntax.ValidName(name) {
		if err := r.setString(name, strconv.FormatInt(v, 10)); err != nil {
			return err
		}
		return nil
	}
	if len(w.Parts) == 1 {
		if pe, ok := w.Parts[0].(*syntax.ParamExp); ok && pe.Index != nil && !pe.Dollar.IsValid() && pe.Param != nil && syntax.ValidName(pe.Param.Value) {
			as := &syntax.Assign{Name: pe.Param, Index: pe.Index}
			return r.assignIndex(as, strconv.FormatInt(v, 10))
		}
	}
	return arithError{arithSource(x), "attempted assignment to non-variable", arithSource(x)}
}

// arithExp evaluates $((...)). Expansions inside it are substituted as
// text first, as shells do, so $(($b * 2)) with b='a + 2' is a + 2 * 2.
func (r *Runner) arithExp(a *syntax.ArithmExp) (int, error) {
	return r.arithX(a.X)
}

// arithX evaluates an arithmetic expression, substituting expansions as
// text first when there are any.
func (r *Runner) arithX(x syntax.ArithmExpr) (int, error) {
	if !arithHasExpansion(x) {
		return r.arith(x)
	}
	nx, textual, err := r.substArithTree(x)
	if err != nil {
		return 0, err
	}
	if !textual {
		// every expansion gave a plain number: the tree stands as parsed
		return r.arith(nx)
	}
	src := arithSource(nx)
	px, perr := syntax.NewParser().Arithmetic(strings.NewReader(src))
	if perr != nil || px == nil || strings.ContainsAny(src, "\r\v\f") {
		return 0, arithError{strings.TrimSpace(src), "syntax error: operand expected", strings.TrimSpace(src)}
	}
	return r.arith(px)
}

func arithHasExpansion(x syntax.ArithmExpr) bool {
	switch x := x.(type) {
	case *syntax.Word:
		for _, p := range x.Parts {
			switch p.(type) {
			case *syntax.ParamExp, *syntax.CmdSubst:
				if pe, ok := p.(*syntax.ParamExp); ok && !pe.Dollar.IsValid() {
					continue // a[i] without $
				}
				return true
			}
		}
	case *syntax.BinaryArithm:
		return arithHasExpansion(x.X) || arithHasExpansion(x.Y)
	case *syntax.UnaryArithm:
		return arithHasExpansion(x.X)
	case *syntax.ParenArithm:
		return arithHasExpansion(x.X)
	}
	return false
}

// substArithTree copies x with every word that holds expansions replaced
// by its expanded text, and reports whether an expansion gave anything but
// digits, text that must be parsed again in place (x=1+2
// in $(($x*3)) is 7); digits alone are an operand where the word was.
func (r *Runner) substArithTree(x syntax.ArithmExpr) (syntax.ArithmExpr, bool, error) {
	textual := false
	var walk func(x syntax.ArithmExpr) (syntax.ArithmExpr, error)
	walk = func(x syntax.ArithmExpr) (syntax.ArithmExpr, error) {
		switch x := x.(type) {
		case *syntax.Word:
			nx, err := r.substArithWord(x)
			if err != nil {
				return nil, err
			}
			if nx != x && !allDigits(nx.Lit()) {
				textual = true
			}
			return nx, nil
		case *syntax.BinaryArithm:
			a, err := walk(x.X)
			if err != nil {
				return nil, err
			}
			b, err := walk(x.Y)
			if err != nil {
				return nil, err
			}
			c := *x
			c.X, c.Y = a, b
			return &c, nil
		case *syntax.UnaryArithm:
			a, err := walk(x.X)
			if err != nil {
				return nil, err
			}
			c := *x
			c.X = a
			return &c, nil
		case *syntax.ParenArithm:
			a, err := walk(x.X)
			if err != nil {
				return nil, err
			}
			c := *x
			c.X = a
			return &c, nil
		}
		return x, nil
	}
	nx, err := walk(x)
	return nx, textual, err
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// substArithWord returns w, or a literal word of its expanded text when it
// holds expansions.
func (r *Runner) substArithWord(w *syntax.Word) (*syntax.Word, error) {
	if !arithHasExpansion(w) {
		return w, nil
	}
	s, err := r.literal(w)
	if err != nil {
		return nil, err
	}
	return &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: s}}}, nil
}

// arithSource prints an arithmetic expression back as text, for error
// messages. Where the positions of the nodes tell, it keeps the spacing
// around operators and parentheses as written (1/0 stays 1/0, as bash
// quotes it); elsewhere it puts one space around binary operators.
func arithSource(x syntax.ArithmExpr) string {
	var b strings.Builder // one buffer: concatenating per node is quadratic in a long 1+1+...+1
	writeArithSource(&b, x)
	return b.String()
}

// spaced reports whether the text had blanks between offsets end and
// next, or does not say (positions missing).
func spaced(end, next syntax.Pos) bool {
	if !end.IsValid() || !next.IsValid() || next.Offset() < end.Offset() {
		return true
	}
	return next.Offset() > end.Offset()
}

// after is the position just past an operator written at pos.
func after(pos syntax.Pos, op string) syntax.Pos {
	if !pos.IsValid() {
		return pos
	}
	return syntax.NewPos(pos.Offset()+uint(len(op)), pos.Line(), pos.Col()+uint(len(op)))
}

func writeArithSource(b *strings.Builder, x syntax.ArithmExpr) {
	switch x := x.(type) {
	case *syntax.Word:
		if l := x.Lit(); l != "" {
			b.WriteString(l)
			return
		}
		b.WriteString(printNode(x))
	case *syntax.BinaryArithm:
		op := x.Op.String()
		writeArithSource(b, x.X)
		if spaced(x.X.End(), x.OpPos) {
			b.WriteByte(' ')
		}
		b.WriteString(op)
		if spaced(after(x.OpPos, op), x.Y.Pos()) {
			b.WriteByte(' ')
		}
		writeArithSource(b, x.Y)
	case *syntax.UnaryArithm:
		op := x.Op.String()
		if x.Post {
			writeArithSource(b, x.X)
			b.WriteString(op)
			return
		}
		b.WriteString(op)
		if x.OpPos.IsValid() && x.X.Pos().IsValid() && x.X.Pos().Offset() > after(x.OpPos, op).Offset() {
			b.WriteByte(' ')
		}
		writeArithSource(b, x.X)
	case *syntax.ParenArithm:
		b.WriteByte('(')
		writeArithSource(b, x.X)
		b.WriteByte(')')
	}
}
