package shell

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// removeByMatching is removePattern without its fast path: a full match
// at every position.
func removeByMatching(s, pat string, op syntax.ParExpOperator) string {
	switch op {
	case syntax.RemSmallPrefix:
		for i := 0; i <= len(s); i++ {
			if (i == len(s) || utf8.RuneStart(s[i])) && matchPattern(pat, s[:i]) {
				return s[i:]
			}
		}
	case syntax.RemLargePrefix:
		for i := len(s); i >= 0; i-- {
			if (i == len(s) || utf8.RuneStart(s[i])) && matchPattern(pat, s[:i]) {
				return s[i:]
			}
		}
	case syntax.RemSmallSuffix:
		for i := len(s); i >= 0; i-- {
			if (i == len(s) || utf8.RuneStart(s[i])) && matchPattern(pat, s[i:]) {
				return s[:i]
			}
		}
	case syntax.RemLargeSuffix:
		for i := 0; i <= len(s); i++ {
			if (i == len(s) || utf8.RuneStart(s[i])) && matchPattern(pat, s[i:]) {
				return s[:i]
			}
		}
	}
	return s
}

func TestRemoveSimpleAgreesWithMatching(t *testing.T) {
	ops := []syntax.ParExpOperator{syntax.RemSmallPrefix, syntax.RemLargePrefix, syntax.RemSmallSuffix, syntax.RemLargeSuffix}
	alphabet := []string{"a", "b", "/", ".", "=", "é", "ab"}
	word := func(rng *rand.Rand, n int) string {
		s := ""
		for i := rng.IntN(n + 1); i > 0; i-- {
			s += alphabet[rng.IntN(len(alphabet))]
		}
		return s
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		s := word(rng, 8)
		lit := word(rng, 3)
		pat := lit
		switch rng.IntN(3) {
		case 1:
			pat = "*" + lit
		case 2:
			pat = lit + "*"
		}
		if pat == "" {
			continue
		}
		for _, op := range ops {
			got := removePattern(s, pat, op)
			want := removeByMatching(s, pat, op)
			if got != want {
				t.Fatalf("op %v s %q pat %q: got %q, want %q", op, s, pat, got, want)
			}
		}
	}
}
