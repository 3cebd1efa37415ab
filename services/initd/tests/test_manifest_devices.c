/* Host tests for the device keys of the service manifest: roots, device,
 * busmaster, console and partition (manifest.h). */
#include <string.h>

#include "check.h"
#include "manifest.h"

static struct manifest m;
static struct manifest_error err;

static status_t parse(const char *text)
{
	return manifest_parse(text, strlen(text), &m, &err);
}

TEST(a_driver_manifest_names_its_function)
{
	CHECK_EQ(parse("name blkd\ndevice pci 1af4:1042\nbusmaster yes\nconsole debug\n"),
		 STATUS_OK);
	CHECK(m.has_pci);
	CHECK_EQ(m.pci_vendor, 0x1af4);
	CHECK_EQ(m.pci_device, 0x1042);
	CHECK(m.busmaster);
	CHECK(m.console);
	CHECK(!m.device_roots);
	CHECK_EQ(m.partition, 0u);
}

TEST(defaults_give_no_device_and_no_console)
{
	CHECK_EQ(parse("name echo\n"), STATUS_OK);
	CHECK(!m.has_pci && !m.busmaster && !m.console && !m.device_roots);
	CHECK_EQ(m.partition, 0u);
}

TEST(roots_devices_is_the_only_roots_value)
{
	CHECK_EQ(parse("name topod\nroots devices\n"), STATUS_OK);
	CHECK(m.device_roots);
	CHECK_EQ(parse("name topod\nroots all\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(err.code, MANIFEST_ERR_BAD_WORD);
	CHECK_EQ(err.line, 2u);
}

TEST(device_ids_are_four_hex_digits_each)
{
	CHECK_EQ(parse("name d\ndevice pci 1AF4:10f2\n"), STATUS_OK);
	CHECK_EQ(m.pci_device, 0x10f2);
	static const char *const bad[] = {
		"name d\ndevice pci 1af4-1042\n",  "name d\ndevice pci 1af4:104\n",
		"name d\ndevice pci 1af4:10420\n", "name d\ndevice pci 1ag4:1042\n",
		"name d\ndevice pci :1af41042\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_EQ(parse(bad[i]), STATUS_BAD_FORMAT);
		CHECK_EQ(err.code, MANIFEST_ERR_BAD_NUMBER);
	}
	CHECK_EQ(parse("name d\ndevice usb 1af4:1042\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(err.code, MANIFEST_ERR_BAD_WORD);
	CHECK_EQ(parse("name d\ndevice pci\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(err.code, MANIFEST_ERR_ARITY);
	CHECK_EQ(parse("name d\ndevice pci 1af4:1042\ndevice pci 1af4:1041\n"), STATUS_EXISTS);
}

TEST(a_legacy_device_is_named_as_in_topods_registry)
{
	CHECK_EQ(parse("name compd\ndevice legacy uart0\n"), STATUS_OK);
	CHECK(!m.has_pci);
	CHECK(!strcmp(m.legacy, "uart0"));
	CHECK_EQ(parse("name d\ndevice legacy abcdefghijklmno\n"), STATUS_OK); /* 15 */
	static const char *const bad[] = {
		"name d\ndevice legacy abcdefghijklmnop\n", /* 16 characters */
		"name d\ndevice legacy UART0\n",
		"name d\ndevice legacy uart-0\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_EQ(parse(bad[i]), STATUS_BAD_FORMAT);
		CHECK_EQ(err.code, MANIFEST_ERR_BAD_WORD);
		CHECK_EQ(err.line, 2u);
	}
	CHECK_EQ(parse("name d\ndevice legacy\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(err.code, MANIFEST_ERR_ARITY);
	/* One device per service: pci or legacy. */
	CHECK_EQ(parse("name d\ndevice legacy uart0\ndevice pci 1af4:1042\n"), STATUS_EXISTS);
	CHECK_EQ(parse("name d\n"), STATUS_OK);
	CHECK_EQ(m.legacy[0], 0);
}

TEST(busmaster_is_yes_or_no)
{
	CHECK_EQ(parse("name d\nbusmaster no\n"), STATUS_OK);
	CHECK(!m.busmaster);
	CHECK_EQ(parse("name d\nbusmaster maybe\n"), STATUS_BAD_FORMAT);
	CHECK_EQ(parse("name d\nconsole serial\n"), STATUS_BAD_FORMAT);
}

TEST(partition_is_whole_or_1_to_128)
{
	CHECK_EQ(parse("name c\npartition whole\n"), STATUS_OK);
	CHECK_EQ(m.partition, 1u);
	CHECK_EQ(parse("name c\npartition 1\n"), STATUS_OK);
	CHECK_EQ(m.partition, 2u);
	CHECK_EQ(parse("name c\npartition 128\n"), STATUS_OK);
	CHECK_EQ(m.partition, 129u);
	CHECK_EQ(parse("name c\npartition 0\n"), STATUS_RANGE);
	CHECK_EQ(parse("name c\npartition 129\n"), STATUS_RANGE);
	CHECK_EQ(parse("name c\npartition half\n"), STATUS_BAD_FORMAT);
}

int main(void)
{
	RUN(a_driver_manifest_names_its_function);
	RUN(defaults_give_no_device_and_no_console);
	RUN(roots_devices_is_the_only_roots_value);
	RUN(device_ids_are_four_hex_digits_each);
	RUN(a_legacy_device_is_named_as_in_topods_registry);
	RUN(busmaster_is_yes_or_no);
	RUN(partition_is_whole_or_1_to_128);
	return check_summary();
}
