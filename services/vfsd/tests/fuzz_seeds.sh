#!/bin/sh
# fuzz_seeds.sh OUTDIR - makes the seed corpus of fuzz_fat: small volumes
# made by mkfs.fat (FAT12, FAT16, FAT32, several cluster sizes) with trees
# copied in by mtools (long, short, lower-case and non-ASCII names, nested
# and empty directories, empty files, files over many clusters, a deleted
# file), each converted by sparse.c to the sparse form fuzz_fat reads.
# Needs mkfs.fat, mtools and a C compiler ($CC, default cc). The committed
# tests/fuzz_corpus was made with this script.
set -eu
out=${1:?usage: fuzz_seeds.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1 MTOOLSRC=/dev/null LC_ALL=C.UTF-8 TZ=UTC
${CC:-cc} -O1 -o "$tmp/sparse" "$here/sparse.c"
mkdir -p "$out"

tree() {
	img=$1
	printf 'hello\n' > "$tmp/small"
	seq 1 1000 | head -c 3000 > "$tmp/medium"
	: > "$tmp/empty"
	mmd -i "$img" ::Docs ::Docs/Deep ::Docs/Deep/Deeper "::Empty Dir"
	mcopy -i "$img" "$tmp/small" ::README.TXT
	mcopy -i "$img" "$tmp/small" ::notes.txt
	mcopy -i "$img" "$tmp/medium" "::Docs/A long file name.data"
	mcopy -i "$img" "$tmp/empty" "::Docs/Deep/empty file"
	mcopy -i "$img" "$tmp/small" "::Docs/Deep/Deeper/r$(printf '\303\251')sum$(printf '\303\251').txt"
	mcopy -i "$img" "$tmp/small" "::Docs/gone.txt"
	mdel -i "$img" "::Docs/gone.txt"
}

make() {
	name=$1 opts=$2 kib=$3
	img="$tmp/$name.img"
	mkfs.fat -C -i 4b45454c $opts "$img" "$kib" > /dev/null
	tree "$img"
	"$tmp/sparse" "$img" "$out/$name"
}

make fat12 "-F 12" 1440
make fat12-4k "-F 12 -s 8" 4000
make fat16 "-F 16 -s 1" 4200
make fat16-2k "-F 16 -s 4 -r 32" 16384
make fat32 "-F 32 -s 1" 33300
make fat32-1k "-F 32 -s 2 -f 1" 66000
ls -l "$out"
