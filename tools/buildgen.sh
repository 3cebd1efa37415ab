#!/bin/sh
# buildgen.sh - writes build.ninja from the BUILD files of the tree.
#
#   sh tools/buildgen.sh > build.ninja        (configure does this)
#
# Every folder describes what it builds in a file named BUILD, one
# statement per line ('#' starts a comment). Paths are relative to the
# folder; a path that starts with // is relative to the top of the tree
# and $gen/ names a file abigen generates. Words with shell wildcards are
# expanded in the folder, sorted.
#
#   program [NAME] [manifest=FILE|none] [image=IMAGE] [SRC...] [FLAG...]
#       A Keel program in the boot bundle, linked with libsys, libkeel and
#       the C library. NAME defaults to the folder's name, SRC to its *.c
#       and *.S files, the manifest (embedded in the ELF) to ./manifest if
#       there is one. A folder under services/ or apps/ with a manifest
#       and no BUILD file is such a program by convention. With image=,
#       the program goes into a test image of its own instead,
#       build/IMAGE/keel.img (the same kernel, another bundle).
#   hostprog NAME SRC... [FLAG...]
#       The same kind of program built for the host with musl-gcc, for
#       differential tests: build/host/FOLDER/NAME.
#   variant NAME PROGRAM [manifest=FILE] [image=IMAGE]
#       The code of PROGRAM with another manifest (default ./manifest).
#   bundle FILE...
#       Extra files in the boot bundle (boot lists, test manifests).
#   library NAME FLAVOURS SRC... [FLAG...]
#       An archive build/FLAVOUR/libNAME.a for each comma-separated
#       flavour (tools/rules.ninja lists them).
#   kernel SRC... ldscript=FILE
#       The kernel image build/keel.elf: SRC plus the kernel flavour of
#       every library named in libs=NAME,... .
#   tool NAME SRC...
#       A program run by the build on the build machine.
#   test NAME SRC... [@LIB...] [FLAG...]
#       A host unit test (musl, static), or a script if SRC is one .sh or .py
#       file. It runs from the top of the tree and prints "N passed, N
#       failed" last.
#   porttest NAME SRC... [uses=PROGRAM,...] [embed=SYMBOL:FILE...] [FLAG...]
#       A host test over the host port: SRC, the named programs (with
#       keel_main renamed PROGRAM_main and their manifests embedded as
#       PROGRAM_manifest), libsys, kernel/core and the host architecture.
#       Built twice: with musl, and with the sanitizers (NAME-asan).
#   fuzz NAME SRC... [corpus=DIR] [dict=FILE] [opts=OPT,...] [FLAG...]
#       A libFuzzer target; `ninja fuzz` runs each for FUZZ_RUNS inputs,
#       with libFuzzer options opts.
#   qemutest SCRIPT... [deps=FILE,...]
#       Shell scripts that boot Keel in QEMU; they depend on build/keel.img,
#       on the test images and host programs of their folder, and on deps.
#   bench SCRIPT [deps=FILE,...]
#       A benchmark script `ninja bench` runs, with the same dependencies.
#   ninja FILE
#       A hand-written ninja fragment of the folder (subninja), for build
#       steps no statement describes: building musl, third-party archives.
#   data FILE...
#       Files the folder's tests read: a change to one runs them again.
#
# FLAGs are -D..., -I... (paths mapped as above), -W..., -pthread and
# -include=FILE. Outputs mirror the source tree under build/, so a folder
# copied under another name builds beside the original.
set -eu

top=$(pwd)
nl='
'
emitted=$nl		# outputs written so far, one per line
programs=""		# bundle files: build/bundle/NAME
images=""		# test images: build/IMAGE/keel.img
disk_apps=""		# programs in /apps on build/keel.img: build/disk/apps/NAME
benches=""		# `ninja bench` targets
bundle_files=""
tests=""		# result logs for `ninja test`
fuzzers=""		# fuzz run logs for `ninja fuzz`
buildfiles=""
kernel_objs=""
kernel_ld=""
kernel_libs=""

die() { echo "buildgen: $*" >&2; exit 1; }

# Functions return their result in R (no subshells: they record what they
# have written in shell variables).

# path WORD: WORD as a path from the top of the tree.
path() {
	case $1 in
	//*) R=${1#//} ;;
	'$gen/'*) R=build/gen/${1#\$gen/} ;;
	/*) die "$where: absolute path $1" ;;
	*) if [ "$dir" = . ]; then R=$1; else R=$dir/$1; fi ;;
	esac
}

# flag WORD: a compiler flag with its path mapped.
flag() {
	case $1 in
	-I*) path "${1#-I}"; R=-I$R ;;
	-include=*) path "${1#-include=}"; R="-include $R" ;;
	-D* | -W* | -pthread | -O*) R=$1 ;;
	*) die "$where: unknown flag $1" ;;
	esac
}

# ident WORD: WORD made a shell variable name part.
ident() {
	R=$1
	case $R in *[!a-zA-Z0-9_]*) R=$(printf '%s' "$R" | tr -c 'a-zA-Z0-9_' _) ;; esac
}

# once OUT: true the first time OUT is asked for, false after.
once() {
	case $emitted in *"$nl$1$nl"*) return 1 ;; esac
	emitted="$emitted$1$nl"
	return 0
}

# obj FLAVOUR SRC [UNIT EXTRA]: R = the object of SRC for FLAVOUR, whose
# edge is written once. Objects built with extra flags live under UNIT.
obj() {
	o=${2#build/}
	o=${o%.*}
	if [ -n "${4:-}" ]; then o=build/$1/$3/$o.o; else o=build/$1/$o.o; fi
	if once "$o"; then
		case $1 in
		user | keelc) echo "build $o: cc_$1 $2 || gen libc-headers" ;;
		*) echo "build $o: cc_$1 $2 || gen" ;;
		esac
		[ -z "${4:-}" ] || echo "  extra = $4"
	fi
	R=$o
}

# split WORDS: sets srcs, flags and the keyed settings of a statement.
split() {
	srcs="" flags="" libs_at="" uses="" embeds="" corpus="" dict="" manifest=""
	ldscript="" klibs="" image="" deps_kv="" opts=""
	for w in "$@"; do
		case $w in
		-*) flag "$w"; flags="$flags $R" ;;
		@*) libs_at="$libs_at ${w#@}" ;;
		uses=*) uses="$uses $(echo "${w#uses=}" | tr , ' ')" ;;
		embed=*) embeds="$embeds ${w#embed=}" ;;
		corpus=*) path "${w#corpus=}"; corpus=$R ;;
		dict=*) path "${w#dict=}"; dict=$R ;;
		manifest=none) manifest=none ;;
		manifest=*) path "${w#manifest=}"; manifest=$R ;;
		ldscript=*) path "${w#ldscript=}"; ldscript=$R ;;
		image=*) image=${w#image=} ;;
		opts=*) opts=$(echo "${w#opts=}" | tr , ' ') ;;
		deps=*)
			for x in $(echo "${w#deps=}" | tr , ' '); do path "$x"; deps_kv="$deps_kv $R"; done ;;
		libs=*) klibs=$(echo "${w#libs=}" | tr , ' ') ;;
		*=*) die "$where: unknown setting $w" ;;
		*) path "$w"; srcs="$srcs $R" ;;
		esac
	done
	flags=${flags# }
	# A folder's own headers are visible to everything built for it.
	case $verb in test | porttest | fuzz) flags="-I$dir${flags:+ $flags}" ;; esac
}

# objs_of FLAVOUR UNIT: R = the objects of $srcs built with $flags.
objs_of() {
	r=""
	for s in $srcs; do obj "$1" "$s" "$2" "$flags"; r="$r $R"; done
	R=${r# }
}

# ---------------------------------------------------------------- statements

st_library() {
	[ $# -ge 3 ] || die "$where: library NAME FLAVOURS SRC..."
	name=$1 fls=$(echo "$2" | tr , ' ')
	shift 2
	split "$@"
	for fl in $fls; do
		case $fl in kernel | user | keelc | host | port | asan) ;; *) die "$where: flavour $fl" ;; esac
		objs_of "$fl" "lib$name"
		if [ "$fl" = kernel ]; then
			# The kernel links objects, not archives: LTO sees them all.
			os=$R
			ident "$name"
			eval "kernel_lib_$R=\"\$os\""
			continue
		fi
		a=build/$fl/lib$name.a
		once "$a" || die "$where: library $name ($fl) defined twice"
		echo "build $a: ar $R"
	done
}

# manifest_obj NAME FILE: R = " OBJECT" of program NAME's manifest, or "".
manifest_obj() {
	R=""
	[ "$2" != none ] || return 0
	o=build/user/manifest/$1.o
	once "$o" && echo "build $o: manifest $2 | libsys/manifest.S"
	R=" $o"
}

user_libs='build/user/libsys.a build/user/libkeel.a build/sysroot/lib/libc.a'
user_link_deps='sysroot/keel.ld build/sysroot/lib/crt1.o'

# link_program NAME OBJECTS MANIFEST [IMAGE]: the program NAME, in the
# boot bundle or in test image IMAGE's.
link_program() {
	manifest_obj "$1" "$3"
	if [ "${4:-}" = apps ]; then out=build/disk/apps/$1
	elif [ -n "${4:-}" ]; then out=build/$4/bundle/$1; else out=build/bundle/$1; fi
	once "$out" || die "$where: program $1 defined twice"
	echo "build $out: link_user $2$R | $user_link_deps $user_libs"
	echo "  libs = $user_libs"
	if [ "${4:-}" = apps ]; then
		disk_apps="$disk_apps $out"
	elif [ -n "${4:-}" ]; then
		ident "$4"
		eval "image_progs_$R=\"\${image_progs_$R:-} \$out\""
		case " $images " in *" $4 "*) ;; *) images="$images $4" ;; esac
		add_folder_dep "build/$4/keel.img"
	else
		programs="$programs $out"
	fi
}

# add_folder_dep FILE: the folder's qemu tests and benchmarks need FILE.
add_folder_dep() {
	f=$1
	ident "$dir"
	eval "dir_deps_$R=\"\${dir_deps_$R:-} \$f\""
}

st_program() {
	name=""
	case ${1:-} in '' | *=* | *.c | *.S | -* | //*) ;; *) name=$1; shift ;; esac
	[ -n "$name" ] || name=$(basename "$dir")
	split "$@"
	if [ -z "$srcs" ]; then
		for s in $(cd "$dir" && set +f && ls ./*.c ./*.S 2>/dev/null); do
			path "${s#./}"
			srcs="$srcs $R"
		done
	fi
	if [ -z "$manifest" ]; then
		if [ -f "$dir/manifest" ]; then manifest=$dir/manifest; else manifest=none; fi
	fi
	objs_of user "prog/$name"
	os=$R
	ident "$name"
	eval "prog_objs_$R=\"\$os\" prog_srcs_$R=\"\$srcs\" prog_flags_$R=\"\$flags\""
	eval "prog_manifest_$R=\"\$manifest\""
	link_program "$name" "$os" "$manifest" "$image"
}

st_hostprog() {
	name=$1
	shift
	split "$@"
	out=build/host/$dir/$name
	once "$out" || die "$where: hostprog $name defined twice"
	echo "build $out: hostprog$srcs"
	[ -z "$flags" ] || echo "  extra = $flags"
	add_folder_dep "$out"
}

st_ninja() {
	for w in "$@"; do
		path "$w"
		echo "subninja $R"
		buildfiles="$buildfiles $R"
	done
}

st_bench() {
	split "$@"
	ident "$dir"
	eval "fd=\${dir_deps_$R:-}"
	b=bench-$(echo "$dir" | tr / -)
	echo "build $b: bench$srcs |$fd$deps_kv"
	benches="$benches $b"
}

st_variant() {
	[ $# -ge 2 ] || die "$where: variant NAME PROGRAM [manifest=FILE]"
	name=$1 of=$2
	shift 2
	split "$@"
	[ -n "$manifest" ] || manifest=$dir/manifest
	ident "$of"
	eval "os=\${prog_objs_$R:-}"
	[ -n "$os" ] || die "$where: variant of $of, which is not defined before it"
	ident "$name"
	eval "prog_of_$R=\$of prog_manifest_$R=\"\$manifest\""
	link_program "$name" "$os" "$manifest" "$image"
}

st_data() {
	r=""
	for w in "$@"; do path "$w"; r="$r $R"; done
	ident "$dir"
	eval "dir_data_$R=\"\${dir_data_$R:-}\$r\""
}

# data_deps: R = " FILE..." the tests of this folder read.
data_deps() {
	ident "$dir"
	eval "R=\${dir_data_$R:-}"
}

st_bundle() {
	for w in "$@"; do path "$w"; bundle_files="$bundle_files $R"; done
}

st_kernel() {
	split "$@"
	[ -n "$ldscript" ] || die "$where: kernel needs ldscript="
	objs_of kernel kernel
	kernel_objs="$kernel_objs $R"
	kernel_ld=$ldscript
	kernel_libs=$klibs
}

st_tool() {
	name=$1
	shift
	split "$@"
	echo "build build/tools/$name: tool$srcs"
}

# log NAME: R = the result log of test NAME of this folder.
log() {
	if [ "$dir" = . ]; then R=build/results/$1.log; else R=build/results/$dir/$1.log; fi
}

add_test() { # add_test LOG
	tests="$tests $1"
	l=$1
	ident "$dir"
	eval "dir_tests_$R=\"\${dir_tests_$R:-} \$l\""
}

st_test() {
	name=$1
	shift
	split "$@"
	log "$name"
	l=$R
	data_deps
	deps=$R
	ident "$dir"
	eval "deps=\"\$deps\${dir_deps_$R:-}\""
	case $srcs in
	" "*.sh | " "*.py)
		echo "build $l: runtest$srcs |$deps .always"
		add_test "$l"
		return ;;
	esac
	exe=build/host/$dir/$name
	once "$exe" || die "$where: test $name defined twice"
	libs=""
	for x in $libs_at; do libs="$libs build/host/lib$x.a"; done
	echo "build $exe: hosttest$srcs$libs || gen"
	echo "  srcs =$srcs"
	[ -z "$flags" ] || echo "  extra = $flags"
	echo "build $l: runtest $exe |$deps .always"
	add_test "$l"
}

# port_code FLAVOUR PROGRAM: R = the code objects of PROGRAM for the host
# port, with keel_main renamed PROGRAM_main.
port_code() {
	ident "$2"
	cv=$R
	eval "ss=\$prog_srcs_$cv ff=\$prog_flags_$cv"
	r=""
	for s in $ss; do
		case $s in *.S) continue ;; esac
		obj "$1" "$s" "prog/$2" "-Dkeel_main=${cv}_main${ff:+ $ff}"
		r="$r $R"
	done
	R=${r# }
}

# port_prog FLAVOUR NAME: R = program NAME's objects for the host port and
# its manifest embedded as NAME_manifest.
port_prog() {
	ident "$2"
	v=$R
	eval "of=\${prog_of_$v:-} m=\${prog_manifest_$v:-}"
	[ -n "$m" ] || die "$where: uses $2, which is not a program defined before it"
	port_code "$1" "${of:-$2}"
	r=$R
	if [ "$m" != none ]; then
		o=build/$1/manifest/$2.o
		if once "$o"; then
			echo "build $o: embed $m | libsys/host/embed.S"
			echo "  symbol = ${v}_manifest"
		fi
		r="$r $o"
	fi
	R=$r
}

port_libs='libsys libkcore libkarch libkeel'

st_porttest() {
	name=$1
	shift
	split "$@"
	for fl in port asan; do
		exe=build/$fl/$dir/$name
		log "$name"
		l=$R
		if [ $fl = asan ]; then exe=$exe-asan l=${l%.log}-asan.log; fi
		objs_of "$fl" "test/$name"
		os=$R
		for u in $uses; do
			port_prog "$fl" "$u"
			for o in $R; do
				case " $os " in *" $o "*) ;; *) os="$os $o" ;; esac
			done
		done
		for e in $embeds; do
			sym=${e%%:*}
			path "${e#*:}"
			o=build/$fl/embed/$sym.o
			if once "$o"; then
				echo "build $o: embed $R | libsys/host/embed.S"
				echo "  symbol = $sym"
			fi
			os="$os $o"
		done
		libs=""
		for x in $port_libs; do libs="$libs build/$fl/$x.a"; done
		echo "build $exe: link_$fl $os |$libs"
		echo "  libs =$libs"
		echo "build $l: runtest $exe | .always"
		add_test "$l"
	done
}

st_fuzz() {
	name=$1
	shift
	split "$@"
	exe=build/fuzz/$dir/$name
	once "$exe" || die "$where: fuzz target $name defined twice"
	echo "build $exe: fuzzcc$srcs || gen"
	[ -z "$flags" ] || echo "  extra = $flags"
	l=build/results/fuzz/$dir/$name.log
	echo "build $l: fuzzrun $exe | .always"
	echo "  corpus = ${corpus:--}"
	echo "  dict = ${dict:--}"
	[ -z "$opts" ] || echo "  opts = $opts"
	fuzzers="$fuzzers $l"
}

st_qemutest() {
	split "$@"
	ident "$dir"
	eval "fd=\${dir_deps_$R:-}"
	for s in $srcs; do
		log "$(basename "$s" .sh)"
		echo "build $R: runtest $s | build/keel.img tests/qemu/lib.sh$fd$deps_kv .always"
		add_test "$R"
	done
}

# ---------------------------------------------------------------- reading

# statement LINE: one statement of a BUILD file, with wildcards
# expanded in its folder.
statement() {
	words=""
	cd "$dir"
	set +f
	for w in $1; do
		case $w in
		//* | '$gen/'* | *=*) words="$words $w" ;;
		*[*?[]*)
			for m in $w; do
				[ -e "$m" ] || die "$where: $w matches nothing"
				words="$words $m"
			done ;;
		*) words="$words $w" ;;
		esac
	done
	set -f
	cd "$top"
	# shellcheck disable=SC2086
	set -- $words
	verb=$1
	shift
	case $pass:$verb in
	1:program | 1:variant | 1:bundle | 1:library | 1:kernel | 1:tool | 1:data | 1:hostprog | \
	1:ninja) "st_$verb" "$@" ;;
	2:test | 2:porttest | 2:fuzz | 2:qemutest | 2:bench) "st_$verb" "$@" ;;
	1:test | 1:porttest | 1:fuzz | 1:qemutest | 1:bench | 2:*) ;;
	*) die "$where: unknown statement '$verb'" ;;
	esac
}

read_build() { # read_build DIR
	dir=$1
	n=0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line%%#*}
		case $line in *[![:space:]]*) ;; *) continue ;; esac
		where="$dir/BUILD:$n"
		statement "$line"
	done < "$dir/BUILD"
}

set -f

cat <<'HEAD'
# build.ninja - written by tools/buildgen.sh from the BUILD files (run
# ./configure again after adding one); do not edit.
ninja_required_version = 1.10
builddir = build
include build/config.ninja
include tools/rules.ninja

HEAD

cat <<'EOF'
# ---------------------------------------------------------------- the ABI

# kernel/abi/syscalls.def is the one definition of the system calls; the
# kernel's dispatch table, the libsys stubs and docs/abi.md come from it.
build build/gen/syscall_numbers.h build/gen/syscall_handlers.h build/gen/syscall_dispatch.c $
    build/gen/syscall_stubs.h build/gen/keel/sysops.h build/gen/sysops.c $
    build/gen/abi.md: abigen build/tools/abigen | kernel/abi/syscalls.def kernel/abi/status.def
build gen: phony build/gen/syscall_numbers.h build/gen/syscall_handlers.h $
    build/gen/syscall_stubs.h build/gen/keel/sysops.h

EOF

# The BUILD files in the order their sections appear: kernel, libsys,
# sysroot, services, apps, tests. Libraries and programs are read in a
# first pass and the tests that use them in a second, so no file depends
# on another's place in the order.
dirs=$( (find kernel libsys sysroot services apps third_party tests image -name BUILD 2>/dev/null;
	[ -f BUILD ] && echo ./BUILD) | sed 's|/BUILD$||' |
	awk '{ k = 6 } /^kernel/ { k = 1 } /^libsys/ { k = 2 } /^sysroot/ { k = 3 }
	     /^services/ { k = 4 } /^apps/ { k = 5 } { print k, $0 }' |
	sort -k1,1n -k2 | cut -d' ' -f2-)
# Programs by convention: a folder under services/ or apps/ with a
# manifest and no BUILD file.
conv=""
for m in $(find services apps -name manifest 2>/dev/null | sort); do
	d=$(dirname "$m")
	[ -f "$d/BUILD" ] || conv="$conv $d"
done
for pass in 1 2; do
	for d in $dirs; do
		echo "# ---------------------------------------------------------------- $d"
		read_build "$d"
		[ $pass = 2 ] || buildfiles="$buildfiles $d/BUILD"
		echo
	done
	[ $pass = 1 ] || continue
	for d in $conv; do
		echo "# ---------------------------------------------------------------- $d (by convention)"
		dir=$d where=$d/manifest
		st_program
		echo
	done
done

# A file added to or removed from any folder of the tree (a new program,
# a source a wildcard picks up) makes ninja run configure again.
watch=$(find kernel libsys sysroot services apps third_party tests image tools -type d 2>/dev/null |
	sort | tr '\n' ' ')
watch=" ${watch% }"

klib_objs=""
for l in $kernel_libs; do
	ident "$l"
	eval "klib_objs=\"\$klib_objs \${kernel_lib_$R:-}\""
done

cat <<EOF
# ---------------------------------------------------------------- the system

build build/kernel/kernel.ld: kcpp $kernel_ld | kernel/arch/x86_64/layout.h
build build/keel.elf: link_kernel$kernel_objs$klib_objs | build/kernel/kernel.ld
  ldscript = build/kernel/kernel.ld
build build/bundle.tar: mkbundle$programs$bundle_files | image/mkbundle.sh
build build/keel.img: mkimage | build/keel.elf build/bundle.tar$disk_apps $
    image/mkimage.sh image/grub.cfg image/grub-early.cfg
  kernel = build/keel.elf
  bundle = build/bundle.tar
  apps =$disk_apps
$(for i in $images; do
	ident "$i"
	eval "ps=\${image_progs_$R:-}"
	echo "build build/$i/bundle.tar: mkbundle$ps | image/mkbundle.sh"
	echo "build build/$i/keel.img: mkimage | build/keel.elf build/$i/bundle.tar \$"
	echo "    image/mkimage.sh image/grub.cfg image/grub-early.cfg"
	echo "  kernel = build/keel.elf"
	echo "  bundle = build/$i/bundle.tar"
done)
build build/sysroot/.installed: install_sysroot build/user/libsys.a build/user/libkeel.a $
    | tools/install-sysroot.sh gen c-library
build libc: phony build/sysroot/.installed
build all: phony build/keel.img libc$(for i in $images; do printf ' build/%s/keel.img' "$i"; done)
default all

build run: qemu_run build/keel.img
build bench: phony$benches
build lint: lint
build .always: phony
build test: summary$tests
build fuzz: summary$fuzzers

build build.ninja: reconfigure | configure tools/buildgen.sh tools/rules.ninja$buildfiles$watch
EOF

# One folder's tests: ninja test-NAME for each service and app.
for d in $dirs; do
	case $d in services/* | apps/*) ;; *) continue ;; esac
	ident "$d"
	eval "t=\${dir_tests_$R:-}"
	[ -n "$t" ] && echo "build test-$(basename "$d"): summary$t"
done
exit 0
