# fixtures.sh - make_fixtures builds the files every case starts from, in
# the current directory. Sourced by run.sh; everything is generated here.
make_fixtures() {
	printf 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\neleven\ntwelve\n' >a.txt
	printf 'alpha beta\ngamma  delta\n\nepsilon\tzeta eta\nTheta\n' >b.txt
	: >empty
	printf 'no newline at end' >nonl
	printf '10\n9\n100\n-3\n2.5\n+4\n 7\nabc\n0x10\n1e3\n\n9\n' >nums.txt
	printf 'banana\napple\nCherry\napple\nbanana\nbanana\ndate\nApple\n' >fruit.txt
	printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1::/usr/sbin:/bin/false\nbob:x:1000:100:Bob B:/home/bob:/bin/sh\nalice:x:999:100:Alice:/home/alice:/bin/dash\n' >passwd
	printf 'id,name,score\n3,carol,88\n1,alice,95\n2,bob,72\n10,dave,95\n' >data.csv
	printf 'b 2 x\na 10 y\nc 1 z\na 2 w\nb 10 v\n' >fields.txt
	printf 'x\tb\tc\n1\t\t3\nlonger line\there\n' >tabs.txt
	printf 'Hello, World!\nfoo bar baz\nFOO BAR\nfoo123 bar456\nthe quick brown fox\njumps over the lazy dog\n[brackets] and (parens)\na.b*c+d?e\nback\\slash\n' >text.txt
	printf 'a\na\nb\nc\nc\nc\nd\na\n' >dups.txt
	local i=0
	while [ $i -lt 256 ]; do printf "\\$(printf %03o $i)"; i=$((i + 1)); done >bytes.bin
	printf 'hello world\n' >hello.txt
	head -c 100 /dev/zero >zeros.bin
	i=1; while [ $i -le 200 ]; do echo "line $i"; i=$((i + 1)); done >long.txt
	printf 'caf\303\251 na\303\257ve \342\202\254\n' >utf8.txt
	mkdir -p d/sub/deep d/empty
	printf 'in d\n' >d/f1
	printf 'second\nfile\n' >d/f2.txt
	printf 'deep one\nfoo\n' >d/sub/deep/x.txt
	printf 'sub foo\n' >d/sub/s.txt
	printf 'hidden\n' >d/.hid
	printf 'hidden top\n' >.hidden
	mkdir ro; printf 'locked\n' >ro/file; chmod 444 ro/file
	touch -d '2020-01-02 03:04:05' a.txt b.txt empty nonl nums.txt fruit.txt passwd data.csv \
		fields.txt tabs.txt text.txt dups.txt bytes.bin hello.txt zeros.bin long.txt utf8.txt \
		.hidden ro/file ro
	touch -d '2019-06-30 12:00:00' d/f1 d/f2.txt d/sub/deep/x.txt d/sub/s.txt d/.hid
	touch -d '2019-06-30 12:00:00' d/sub/deep d/sub d/empty d
	touch -d '@'$(( $(date +%s) - 3600 )) recent.txt
	touch -d '2021-03-04 05:06:07' .
}
