/*
 * manifest.S - puts a service's manifest text in the .keel.manifest
 * section of its executable. The build assembles this once per service
 * with MANIFEST set to the path of the service's manifest file; initd
 * reads the section (elf_find_section) before it starts the service. The
 * section is not loaded: only initd, reading the ELF, ever sees it.
 */
	.section .keel.manifest, "", @progbits
	.incbin MANIFEST
