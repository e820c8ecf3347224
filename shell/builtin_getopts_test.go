package shell

import "testing"

func TestGetopts(t *testing.T) {
	cases := []struct{ src, want string }{
		{`set -- -a -b value -c f1 f2
while getopts ab:c opt; do echo "$opt ${OPTARG-}"; done
shift $((OPTIND - 1)); echo "rest: $* OPTIND=$OPTIND"`, "a \nb value\nc \nrest: f1 f2 OPTIND=5\n"},
		{`while getopts ab:c opt -ac -bval -- -notopt x; do echo "$opt ${OPTARG-}"; done; echo $OPTIND`,
			"a \nc \nb val\n4\n"},
		{`set -- -ab x; getopts ab o; echo "$o $OPTIND"; getopts ab o; echo "$o $OPTIND"; getopts ab o; echo "$? $o $OPTIND"`,
			"a 1\nb 2\n1 ? 2\n"}, // OPTIND stays on a group until its end, as in bash and osh
		{`while getopts :ab: opt -x -b; do echo "$opt $OPTARG"; done`, "? x\n: b\n"},
		{`getopts b: opt -b 2>/dev/null; echo "$opt ${OPTARG-unset}"`, "? unset\n"},
		{`getopts a opt -x 2>/dev/null; echo "$opt ${OPTARG-unset}"`, "? unset\n"},
		{`f() { local OPTIND=1; while getopts x o "$@"; do echo "f $o"; done; }; f -x -x; f -x`, "f x\nf x\nf x\n"},
		{`getopts a o -; echo "$? $o $OPTIND"`, "1 ? 1\n"},
	}
	for _, c := range cases {
		checkOut(t, c.src, "", c.want, 0)
	}
	checkErr(t, `getopts a o -x`, "illegal option -- x")
	checkErr(t, `getopts a: o -a`, "option requires an argument -- a")
}
