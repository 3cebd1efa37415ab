#!/bin/sh
# mkbundle.sh OUT PROGRAM... - the boot bundle: a ustar archive of programs.
#
# Each program is stored under its file name without directories, mode
# 0755, owner 0, a fixed time and in name order, so the same programs give
# a byte-identical archive. The kernel starts the root task from it and
# the root task (initd) starts the rest.
#
# Every member's data starts on a 4 KiB page of the archive, so that the
# programs' code and read-only data are mapped from the bundle rather than
# copied (libsys/bundle.c). Before a member whose data would not, a pax
# extended header (type x) whose only record is a comment of the right
# length brings it there: POSIX has a comment ignored, and Keel's readers
# skip any member that is not a regular file. A gap of one block, too
# short for a header and its data, gets an empty directory entry "pad/".
# Every header is checked (its checksum summed) by each reader at each
# boot, so the gap costs one header, not one per 512 bytes.
set -eu
out=$1
shift
stage=$out.d
rm -rf "$stage"
mkdir -p "$stage"
for p in "$@"; do
	cp "$p" "$stage/$(basename "$p")"
	# A program goes in without its symbol table: the bundle is held in
	# memory, and the linked file in build/ keeps the symbols for nm and
	# gdb. Its sections (.keel.manifest among them) and segments stay.
	if [ "$(head -c 4 "$p" | od -An -c | tr -d ' ')" = 177ELF ]; then
		"${OBJCOPY:-objcopy}" --strip-all "$stage/$(basename "$p")"
	fi
done
chmod 0755 "$stage"/*
touch -d @946684800 "$stage"/*
hdr=$(cd "$(dirname "$out")" && pwd)/$(basename "$out").hdr
mkdir "$stage/pad"
touch -d @946684800 "$stage/pad"
# xpad D: a pax extended header with D data blocks, one comment record.
xpad() {
	total=$(($1 * 512))
	fill=$((total - ${#total} - 10)) # "LEN comment=FILL\n" is total bytes
	{
		printf 'pad.x'
		head -c 95 /dev/zero
		printf '%s\000' 0000644 0000000 0000000 "$(printf %011o "$total")" \
			"$(printf %011o 946684800)"
		printf '        x'
		head -c 100 /dev/zero
		printf 'ustar\000%s' 00
		head -c 247 /dev/zero
	} > "$hdr"
	sum=$(od -An -v -tu1 "$hdr" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s }')
	head -c 148 "$hdr"
	printf '%06o\000 ' "$sum"
	tail -c +157 "$hdr"
	printf '%d comment=' "$total"
	head -c "$fill" /dev/zero | tr '\0' ' '
	printf '\n'
}
ustar() {
	LC_ALL=C tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@946684800 \
		--no-recursion -cf - -- "$@"
}
(
	cd "$stage"
	at=0
	for f in $(LC_ALL=C ls); do
		[ "$f" = pad ] && continue
		gap=$(((3584 - at % 4096 + 4096) % 4096 / 512)) # blocks before the header
		if [ "$gap" -eq 1 ]; then
			ustar pad | head -c 512
		elif [ "$gap" -gt 1 ]; then
			xpad $((gap - 1))
		fi
		at=$((at + gap * 512))
		size=$(wc -c < "$f")
		n=$((512 + (size + 511) / 512 * 512))
		ustar "$f" | head -c $n
		at=$((at + n))
	done
	head -c 1024 /dev/zero
) > "$out.tmp"
mv "$out.tmp" "$out"
rm -rf "$stage" "$hdr"
