# cpio.sh - sourced by run.sh and io.sh: writes a newc cpio archive (the
# initramfs) to standard output, so that no cpio tool is needed.
# Each entry: 110-byte ASCII header, name + NUL padded to 4, data padded to 4.
# All timestamps and owners are 0, so the archive is reproducible.
ino=0
pad4() { # pad4 LEN: write zero bytes up to the next multiple of 4
	case $(($1 % 4)) in
	1) printf '\000\000\000' ;;
	2) printf '\000\000' ;;
	3) printf '\000' ;;
	esac
}
entry() { # entry NAME MODE(octal) SIZE RDEVMAJ RDEVMIN
	ino=$((ino + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$ino" "$2" 0 0 1 0 "$3" 0 0 "$4" "$5" $((${#1} + 1)) 0
	printf '%s\000' "$1"
	pad4 $((110 + ${#1} + 1))
}
dir() { entry "$1" 040755 0 0 0; }
file() { # file NAME MODE PATH
	size=$(wc -c <"$3")
	size=$((size + 0))
	entry "$1" "$2" "$size" 0 0
	cat "$3"
	pad4 "$size"
}
symlink() { # symlink NAME TARGET
	entry "$1" 0120777 ${#2} 0 0
	printf '%s' "$2"
	pad4 ${#2}
}
chardev() { entry "$1" 020600 0 "$2" "$3"; }
