/* mdadm.conf parsing against mdadm 4.2's config.c semantics. */
#include "t.h"
#include "md/conf.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

static struct md_conf conf;	/* large: keep it off the stack */

static int parse(const char *text)
{
	return md_conf_parse(text, strlen(text), &conf);
}

static int has_warning(const char *needle)
{
	unsigned i;

	for (i = 0; i < conf.nwarnings; i++)
		if (strstr(conf.warnings[i], needle))
			return 1;
	return 0;
}

static const uint8_t uuid_data[16] = {
	0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x60, 0x71,
	0x82, 0x93, 0xa4, 0xb5, 0xc6, 0xd7, 0xe8, 0xf9,
};

TEST(debian_default_conf_from_mkconf)
{
	CHECK_INT(md_conf_load(t_fixture("mdconf/debian-default.conf"), &conf), 0);
	CHECK_INT(conf.nwarnings, 0);
	CHECK_INT(conf.ndevices, 0);	/* #DEVICE is a comment: the default */
	CHECK_INT(conf.device_line_seen, 0);
	CHECK_STR(conf.homehost, "<system>");
	CHECK_INT(conf.auto_seen, 0);
	CHECK_INT(conf.narrays, 3);
	CHECK_STR(conf.arrays[0].devname, "/dev/md/0");
	CHECK_STR(conf.arrays[0].name, "wbhost:0");
	CHECK_STR(conf.arrays[1].devname, "/dev/md/data");
	CHECK_INT(conf.arrays[1].uuid_set, 1);
	CHECK(!memcmp(conf.arrays[1].uuid, uuid_data, 16));
	CHECK_STR(conf.arrays[1].name, "wbhost:data");
	CHECK_STR(conf.arrays[1].metadata, "1.2");
	CHECK_STR(conf.arrays[1].metadata_type, "1.x");
	CHECK_INT(conf.arrays[1].spares, 1);	/* from the continuation line */
	CHECK_INT(conf.arrays[1].line, 22);
	CHECK_INT(conf.arrays[1].super_minor, -1);
	CHECK_INT(conf.arrays[1].level, INT32_MIN);
	CHECK_INT(conf.arrays[1].raid_disks, -1);
	CHECK_STR(conf.arrays[2].devname, "/dev/md127");
	CHECK_STR(conf.arrays[2].metadata, "");	/* 0.90 lines carry none */
	CHECK_STR(conf.arrays[2].name, "");
	CHECK_INT(conf.arrays[2].uuid[0], 0x6b);
	CHECK_INT(conf.arrays[2].uuid[15], 0x1e);
}

TEST(examine_scan_verbose_lines)
{
	CHECK_INT(md_conf_load(t_fixture("mdconf/examine-scan-verbose.conf"), &conf), 0);
	CHECK_INT(conf.nwarnings, 0);
	CHECK_INT(conf.narrays, 3);
	CHECK_INT(conf.arrays[0].level, 1);
	CHECK_INT(conf.arrays[0].raid_disks, 2);
	CHECK_INT(conf.arrays[0].devices_set, 1);
	CHECK_STR(conf.arrays[0].devices, "/dev/sdb1,/dev/sda1");
	CHECK_STR(conf.arrays[1].devname, "/dev/md0");
	CHECK_INT(conf.arrays[1].level, 5);
	CHECK_INT(conf.arrays[1].raid_disks, 3);
	CHECK_INT(conf.arrays[1].spares, 1);
	CHECK_STR(conf.arrays[1].devices, "/dev/sde1,/dev/sdd1,/dev/sdc1");
	CHECK_STR(conf.arrays[2].name, "wbhost:my scratch");	/* print_quoted */
	CHECK_STR(conf.arrays[2].metadata, "1.0");
	CHECK_INT(conf.arrays[2].level, 0);
}

TEST(imsm_container_and_members)
{
	CHECK_INT(md_conf_load(t_fixture("mdconf/imsm.conf"), &conf), 0);
	CHECK_INT(conf.nwarnings, 0);
	CHECK_INT(conf.narrays, 3);
	CHECK_STR(conf.arrays[0].devname, "");
	CHECK_STR(conf.arrays[0].metadata_type, "imsm");
	CHECK_INT(conf.arrays[0].uuid_set, 1);
	CHECK_INT(conf.arrays[0].has_container, 0);
	CHECK_INT(conf.arrays[1].has_container, 1);
	CHECK_STR(conf.arrays[1].container, "c3d4e5f6:a7b8c9d0:e1f2a3b4:c5d6e7f8");
	CHECK_STR(conf.arrays[1].member, "0");
	/* container= and member= together identify an array */
	CHECK_INT(conf.arrays[2].uuid_set, 0);
	CHECK_STR(conf.arrays[2].container, "/dev/md/imsm0");
	CHECK_STR(conf.arrays[2].member, "1");
}

TEST(hand_edited_conf)
{
	CHECK_INT(md_conf_load(t_fixture("mdconf/hand-edited.conf"), &conf), 0);
	CHECK_INT(conf.ndevices, 4);
	CHECK_STR(conf.devices[0], "/dev/sd[a-d]1");
	CHECK_STR(conf.devices[1], "/dev/nvme*n1p2");
	CHECK_STR(conf.devices[2], "partitions");
	CHECK_STR(conf.devices[3], "containers");
	CHECK(has_warning("unrecognised word on DEVICE line: sda1"));
	CHECK_INT(conf.homehost_ignore, 1);
	CHECK_STR(conf.homehost, "wbhost");
	CHECK_INT(conf.nauto, 3);
	CHECK_STR(conf.autos[0], "+1.x");
	CHECK_STR(conf.autos[1], "homehost");
	CHECK_STR(conf.autos[2], "-all");
	CHECK_INT(conf.narrays, 3);
	CHECK_STR(conf.arrays[0].devname, "/dev/md/root");
	CHECK_INT(conf.arrays[0].line, 12);
	CHECK_INT(conf.arrays[0].uuid[0], 0xa1);
	CHECK_INT(conf.arrays[0].uuid[15], 0x90);
	CHECK_STR(conf.arrays[0].name, "wbhost:root");
	CHECK_INT(conf.arrays[0].super_minor, 0);
	CHECK_STR(conf.arrays[1].devname, "/dev/md/home");
	CHECK_INT(conf.arrays[1].uuid[15], 0x91);
	CHECK_STR(conf.arrays[2].devname, "backup");
	CHECK_INT(conf.arrays[2].uuid[15], 0x92);
	CHECK(has_warning("bad uuid: uuid=a1b2c3d4:e5f60718:293a4b5c:6d7e8f9"));
	CHECK(has_warning("ARRAY line /dev/md/bad has no identity information"));
	CHECK(has_warning("ARRAY line /dev/md/noid has no identity information"));
	CHECK(has_warning("unrecognised word on ARRAY line: bogus=1"));
	CHECK(has_warning("Unknown keyword FROBNICATE"));
	CHECK(has_warning("hand-edited.conf:24: Unknown keyword ar"));
	CHECK_INT(conf.nwarnings, 7);
}

TEST(keywords_case_and_abbreviation)
{
	CHECK_INT(parse("arr /dev/md0 uuid=0a1b2c3d4e5f60718293a4b5c6d7e8f9\n"
			"ARRAY /dev/md1 super-minor=1\n"
			"aRrAy /dev/md2 super-minor=2\n"
			"dev /dev/sda1\n"
			"DEVICES /dev/sdb1\n"
			"hom host1\n"), 0);
	CHECK_INT(conf.narrays, 3);
	CHECK_INT(conf.ndevices, 2);
	CHECK_STR(conf.homehost, "host1");
	CHECK_INT(conf.nwarnings, 0);
	/* fewer than 3 characters, or more than the keyword: unknown */
	CHECK_INT(parse("ar /dev/md0 super-minor=0\narrays /dev/md1 super-minor=1\n"
			"de /dev/sda\n"), 0);
	CHECK_INT(conf.narrays, 0);
	CHECK_INT(conf.ndevices, 0);
	CHECK_INT(conf.nwarnings, 3);
	CHECK(has_warning("line 2: Unknown keyword arrays"));
}

TEST(unknown_keyword_skips_its_continuation)
{
	CHECK_INT(parse("BOGUS a b\n  ARRAY /dev/md0 super-minor=0\nARRAY /dev/md1 super-minor=1\n"), 0);
	CHECK_INT(conf.narrays, 1);
	CHECK_STR(conf.arrays[0].devname, "/dev/md1");
	CHECK_INT(conf.nwarnings, 1);
}

TEST(indented_first_line_is_a_keyword)
{
	CHECK_INT(parse("   ARRAY /dev/md0 super-minor=0\n"), 0);
	CHECK_INT(conf.narrays, 1);
}

TEST(known_keywords_ignored_silently)
{
	CHECK_INT(parse("MAILADDR root\nMAILFROM mdadm@host\nPROGRAM /bin/true\n"
			"CREATE owner=root group=disk mode=0660 auto=yes\nHOMECLUSTER c1\n"
			"SYSFS uuid=x\nMONITORDELAY 60\n"), 0);
	CHECK_INT(conf.nwarnings, 0);
	CHECK_INT(conf.policy_seen, 0);
	CHECK_INT(parse("POLICY domain=d metadata=1.x action=spare auto=no\n"), 0);
	CHECK_INT(conf.policy_seen, 1);
	CHECK_INT(parse("part-pol domain=d\n"), 0);
	CHECK_INT(conf.policy_seen, 1);
}

TEST(comments_start_at_a_word)
{
	CHECK_INT(parse("ARRAY /dev/md0 super-minor=0 # name=notme\n"
			"ARRAY /dev/md/a#b super-minor=1 spare-group=x#y\n"
			"# ARRAY /dev/md9 super-minor=9\n"
			"ARRAY /dev/md2 \"name=a # b\"#c\n"), 0);
	CHECK_INT(conf.narrays, 3);
	CHECK_STR(conf.arrays[0].name, "");
	CHECK_STR(conf.arrays[1].devname, "/dev/md/a#b");
	CHECK_STR(conf.arrays[2].name, "a # b#c");
	CHECK_INT(conf.nwarnings, 0);
}

TEST(continuation_spans_blank_and_comment_lines)
{
	CHECK_INT(parse("ARRAY /dev/md0\n\n# note\n\t\n\tuuid=0a1b2c3d:4e5f6071:8293a4b5:c6d7e8f9\n"
			" \tname=h:x\nDEVICE /dev/sda\n   /dev/sdb\n"), 0);
	CHECK_INT(conf.narrays, 1);
	CHECK_INT(conf.arrays[0].uuid_set, 1);
	CHECK_STR(conf.arrays[0].name, "h:x");
	CHECK_INT(conf.ndevices, 2);
	CHECK_STR(conf.devices[1], "/dev/sdb");
}

TEST(quotes_within_words)
{
	CHECK_INT(parse("ARRAY '/dev/md/my data' na\"me=it's\"\n"
			"ARRAY \"\" super-minor=3 'name=say \"hi\"'\n"
			"ARRAY /dev/md/q \"name=open quote\n"), 0);
	CHECK_INT(conf.narrays, 3);
	CHECK_STR(conf.arrays[0].devname, "/dev/md/my data");
	CHECK_STR(conf.arrays[0].name, "it's");
	CHECK_STR(conf.arrays[1].devname, "");	/* "" is a (bare) name */
	CHECK_STR(conf.arrays[1].name, "say \"hi\"");
	/* a quote never spans lines: it ends with the line */
	CHECK_STR(conf.arrays[2].name, "open quote");
}

TEST(uuid_forms)
{
	static const char *const good[] = {
		"0a1b2c3d:4e5f6071:8293a4b5:c6d7e8f9",
		"0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
		"0A1B2C3D.4E5F6071.8293A4B5.C6D7E8F9",
		"0a1b2c3d4e5f60718293a4b5c6d7e8f9",
		"'0a 1b 2c 3d 4e 5f 60 71 82 93 a4 b5 c6 d7 e8 f9'",
		"::0a1b2c3d4e5f60718293a4b5c6d7e8f9--",
	};
	static const char *const bad[] = {
		"0a1b2c3d:4e5f6071:8293a4b5:c6d7e8f",
		"0a1b2c3d:4e5f6071:8293a4b5:c6d7e8f90",
		"0a1b2c3d:4e5f6071:8293a4b5:c6d7e8fg",
		"0a1b2c3d_4e5f6071_8293a4b5_c6d7e8f9",
		"",
	};
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "ARRAY /dev/md0 uuid=%s\n", good[i]);
		CHECK_INT(parse(text), 0);
		CHECK_INT(conf.narrays, 1);
		CHECK(!memcmp(conf.arrays[0].uuid, uuid_data, 16));
		CHECK_INT(conf.nwarnings, 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "ARRAY /dev/md0 uuid=%s super-minor=0\n", bad[i]);
		CHECK_INT(parse(text), 0);
		CHECK_INT(conf.narrays, 1);
		CHECK_INT(conf.arrays[0].uuid_set, 0);
		CHECK(has_warning("bad uuid"));
	}
}

TEST(crlf_is_not_whitespace_to_mdadm)
{
	CHECK_INT(parse("ARRAY /dev/md0 UUID=0a1b2c3d:4e5f6071:8293a4b5:c6d7e8f9\r\n"), 0);
	CHECK_INT(conf.narrays, 0);
	CHECK(has_warning("bad uuid"));
}

TEST(duplicate_keys_first_wins_with_warning)
{
	CHECK_INT(parse("ARRAY /dev/md0 /dev/md1 uuid=0a1b2c3d:4e5f6071:8293a4b5:c6d7e8f9\n"
			"  uuid=11111111:11111111:11111111:11111111 name=a name=b\n"
			"  super-minor=4 super-minor=5 devices=/dev/sda1 devices=/dev/sdb1\n"
			"  bitmap=/b1 bitmap=/b2 spare-group=g1 spare-group=g2\n"), 0);
	CHECK_INT(conf.narrays, 1);
	CHECK_STR(conf.arrays[0].devname, "/dev/md0");
	CHECK_INT(conf.arrays[0].uuid[0], 0x0a);
	CHECK_STR(conf.arrays[0].name, "a");
	CHECK_INT(conf.arrays[0].super_minor, 4);
	CHECK_STR(conf.arrays[0].devices, "/dev/sda1");
	CHECK_INT(conf.arrays[0].has_bitmap, 1);
	CHECK_INT(conf.nwarnings, 7);
	CHECK(has_warning("only give one device per ARRAY line: /dev/md0 and /dev/md1"));
	CHECK(has_warning("only specify uuid once"));
	CHECK(has_warning("only specify name once, name=b ignored"));
	CHECK(has_warning("only specify super-minor once"));
	CHECK(has_warning("only specify devices once"));
	CHECK(has_warning("only specify bitmap file once"));
	CHECK(has_warning("only specify one spare group"));
}

TEST(last_wins_for_counts_level_member)
{
	CHECK_INT(parse("ARRAY /dev/md0 super-minor=0 level=raid1 level=raid5 disks=2 "
			"num-devices=4 spares=1 spares=2 container=/dev/md/c1 container=/dev/md/c2 "
			"member=0 member=1\n"
			"ARRAY /dev/md1 super-minor=1 level=raid1 level=RAID6 disks=3x spares=-1\n"), 0);
	CHECK_INT(conf.narrays, 2);
	CHECK_INT(conf.arrays[0].level, 5);
	CHECK_INT(conf.arrays[0].raid_disks, 4);
	CHECK_INT(conf.arrays[0].spares, 2);
	CHECK_STR(conf.arrays[0].container, "/dev/md/c2");
	CHECK_STR(conf.arrays[0].member, "1");
	/* map_name is case-sensitive: an unknown level unsets it */
	CHECK_INT(conf.arrays[1].level, INT32_MIN);
	CHECK_INT(conf.arrays[1].raid_disks, 3);	/* atoi */
	CHECK_INT(conf.arrays[1].spares, -1);
	CHECK_INT(conf.nwarnings, 0);
}

TEST(level_names_from_pers_map)
{
	static const struct { const char *name; int level; } map[] = {
		{ "linear", -1 }, { "raid0", 0 }, { "0", 0 }, { "stripe", 0 },
		{ "raid1", 1 }, { "1", 1 }, { "mirror", 1 }, { "raid4", 4 }, { "4", 4 },
		{ "raid5", 5 }, { "5", 5 }, { "raid6", 6 }, { "6", 6 }, { "raid10", 10 },
		{ "10", 10 }, { "multipath", -4 }, { "mp", -4 }, { "faulty", -5 },
		{ "container", MD_CONF_LEVEL_CONTAINER }, { "raid3", INT32_MIN },
		{ "", INT32_MIN },
	};
	char text[128];
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		snprintf(text, sizeof(text), "ARRAY /dev/md0 super-minor=0 LEVEL=%s\n", map[i].name);
		CHECK_INT(parse(text), 0);
		CHECK_INT(conf.arrays[0].level, map[i].level);
	}
}

TEST(device_names)
{
	CHECK_INT(parse("ARRAY /dev/md_d3 super-minor=0\nARRAY data super-minor=0\n"
			"ARRAY <IGNORE> super-minor=0\nARRAY /dev/md/ super-minor=0\n"
			"ARRAY /dev/md/a=b super-minor=0\n"), 0);
	CHECK_INT(conf.narrays, 5);
	CHECK_STR(conf.arrays[0].devname, "/dev/md_d3");
	CHECK_STR(conf.arrays[1].devname, "data");
	CHECK_STR(conf.arrays[2].devname, "<ignore>");
	CHECK_STR(conf.arrays[3].devname, "/dev/md/");
	CHECK_STR(conf.arrays[4].devname, "/dev/md/a=b");
	CHECK_INT(conf.nwarnings, 0);
	CHECK_INT(parse("ARRAY /dev/sda super-minor=0\nARRAY /dev/md super-minor=0\n"
			"ARRAY <foo> super-minor=0\nARRAY /dev/mdx super-minor=0\n"
			"ARRAY /dev/md_d super-minor=0\n"), 0);
	CHECK_INT(conf.narrays, 5);
	CHECK_STR(conf.arrays[0].devname, "");
	CHECK_INT(conf.nwarnings, 5);
	CHECK(has_warning("/dev/sda is an invalid name for an md device - ignored"));
}

TEST(identity_required)
{
	CHECK_INT(parse("ARRAY /dev/md0 metadata=1.2 level=raid1 num-devices=2 spares=1\n"
			"ARRAY /dev/md1 container=/dev/md/imsm0\n"
			"ARRAY /dev/md2 member=0\n"
			"ARRAY uuid=zz\n"
			"ARRAY /dev/md3 devices=\n"
			"ARRAY /dev/md4 name=\n"), 0);
	CHECK_INT(conf.narrays, 1);
	/* an empty devices= is identity (and matches no device) */
	CHECK_STR(conf.arrays[0].devname, "/dev/md3");
	CHECK_INT(conf.arrays[0].devices_set, 1);
	CHECK_STR(conf.arrays[0].devices, "");
	CHECK(has_warning("line 1: ARRAY line /dev/md0 has no identity information"));
	CHECK(has_warning("line 4: ARRAY line (null) has no identity information"));
	CHECK(has_warning("line 6: ARRAY line /dev/md4 has no identity"));
}

TEST(name_limit_32)
{
	CHECK_INT(parse("ARRAY /dev/md0 name=0123456789abcdef0123456789abcdef\n"
			"ARRAY /dev/md1 name=0123456789abcdef0123456789abcdefX\n"), 0);
	CHECK_INT(conf.narrays, 1);
	CHECK_STR(conf.arrays[0].name, "0123456789abcdef0123456789abcdef");
	CHECK(has_warning("name too long, ignoring name=0123"));
	CHECK(has_warning("ARRAY line /dev/md1 has no identity"));
}

TEST(super_minor_values)
{
	CHECK_INT(parse("ARRAY /dev/md0 super-minor=7\nARRAY /dev/md1 super-minor=-1\n"
			"ARRAY /dev/md2 super-minor=\nARRAY /dev/md3 super-minor=3x\n"
			"ARRAY /dev/md4 super-minor=65534\n"), 0);
	CHECK_INT(conf.narrays, 1);
	CHECK_INT(conf.arrays[0].super_minor, 7);
	CHECK(has_warning("invalid super-minor number: super-minor=-1"));
	CHECK_INT(conf.nwarnings, 7);
	CHECK(has_warning("invalid super-minor number: super-minor=3x"));
	/* 65534 is mdadm's UnSet: it reads as no super-minor at all */
	CHECK(has_warning("ARRAY line /dev/md4 has no identity"));
}

TEST(metadata_values)
{
	static const struct { const char *in, *out, *type; } m[] = {
		{ "1.2", "1.2", "1.x" }, { "1.0", "1.0", "1.x" }, { "1.1", "1.1", "1.x" },
		{ "01.2", "1.2", "1.x" }, { "1", "1", "1.x" }, { "default", "default", "1.x" },
		{ "1.02", "1.02", "1.x" }, { "0.90", "0.90", "0.90" }, { "00.90", "0.90", "0.90" },
		{ "0", "0", "0.90" }, { "000", "0", "0.90" }, { "", "", "0.90" },
		{ "imsm", "imsm", "imsm" }, { "ddf", "ddf", "ddf" }, { "gpt", "gpt", "gpt" },
		{ "mbr", "mbr", "mbr" },
	};
	char text[128];
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		snprintf(text, sizeof(text), "ARRAY /dev/md0 super-minor=0 metadata=%s\n", m[i].in);
		CHECK_INT(parse(text), 0);
		CHECK_STR(conf.arrays[0].metadata, m[i].out);
		CHECK_STR(conf.arrays[0].metadata_type, m[i].type);
		CHECK_INT(conf.nwarnings, 0);
	}
	/* case matters; an unknown one warns; the first known one wins and
	 * later ones are not even looked at */
	CHECK_INT(parse("ARRAY /dev/md0 super-minor=0 metadata=IMSM metadata=1.3 "
			"metadata=0.90 metadata=1.2 metadata=bogus\n"), 0);
	CHECK_STR(conf.arrays[0].metadata, "0.90");
	CHECK_INT(conf.nwarnings, 2);
	CHECK(has_warning("metadata format IMSM unknown, ignored"));
	CHECK(has_warning("metadata format 1.3 unknown"));
}

TEST(auto_word_on_array_and_create)
{
	static const char *const ok[] = { "yes", "no", "md", "MDP", "part", "partition",
					  "p", "md4", "mdp-8", "yes16", "part-63", "" };
	static const char *const bad[] = { "maybe", "12", "-", "m", "mdpx", "par" };
	char text[128];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(text, sizeof(text), "ARRAY /dev/md0 super-minor=0 auto=%s\n"
			 "CREATE auto=%s\n", ok[i], ok[i]);
		CHECK_INT(parse(text), 0);
		CHECK_INT(conf.narrays, 1);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "ARRAY /dev/md0 super-minor=0 auto=%s\n", bad[i]);
		CHECK_INT(parse(text), -EINVAL);	/* mdadm exits */
		CHECK(has_warning("unrecognised"));
		snprintf(text, sizeof(text), "CREATE auto=%s\n", bad[i]);
		CHECK_INT(parse(text), -EINVAL);
	}
}

TEST(device_words)
{
	CHECK_INT(parse("DEVICE\n"), 0);
	CHECK_INT(conf.device_line_seen, 1);
	CHECK_INT(conf.ndevices, 0);
	CHECK_INT(parse("DEVICE sda sdb\n"), 0);
	CHECK_INT(conf.ndevices, 0);	/* still the default */
	CHECK_INT(conf.nwarnings, 2);
	CHECK_INT(parse("DEVICE CONTAINERS /dev/disk/by-id/ata-*-part[12]\nDEVICE partitions\n"), 0);
	CHECK_INT(conf.ndevices, 3);
	CHECK_STR(conf.devices[0], "containers");
	CHECK_STR(conf.devices[1], "/dev/disk/by-id/ata-*-part[12]");
	CHECK_STR(conf.devices[2], "partitions");
}

TEST(homehost_variants)
{
	CHECK_INT(parse("HOMEHOST <system>\n"), 0);
	CHECK_STR(conf.homehost, "<system>");
	CHECK_INT(parse("HOMEHOST <None>\nHOMEHOST other\n"), 0);
	CHECK_STR(conf.homehost, "<none>");
	CHECK_INT(parse("HOMEHOST ''\n"), 0);
	CHECK_STR(conf.homehost, "<none>");
	CHECK_INT(parse("HOMEHOST a b <ignore>\n"), 0);
	CHECK_STR(conf.homehost, "a");
	CHECK_INT(conf.homehost_ignore, 1);
	CHECK_INT(parse("HOMEHOST <ignore>\n"), 0);
	CHECK_STR(conf.homehost, "");
	CHECK_INT(conf.homehost_ignore, 1);
	CHECK_INT(parse("HOMEHOST\nHOMEHOST second\n"), 0);
	CHECK_STR(conf.homehost, "second");
	CHECK_INT(parse("HOMEHOST 0123456789012345678901234567890123456789012345678901234567890123\n"), 0);
	CHECK_INT(parse("HOMEHOST 01234567890123456789012345678901234567890123456789012345678901234\n"),
		  -E2BIG);
}

TEST(homehost_resolution)
{
	struct utsname u;
	char buf[65];

	CHECK_INT(uname(&u), 0);
	CHECK_INT(parse("HOMEHOST wbhost\n"), 0);
	CHECK_STR(md_conf_homehost(&conf, NULL, buf, sizeof(buf)), "wbhost");
	CHECK_STR(md_conf_homehost(&conf, "cmdline", buf, sizeof(buf)), "cmdline");
	CHECK_STR(md_conf_homehost(&conf, "<none>", buf, sizeof(buf)), "");
	CHECK_STR(md_conf_homehost(&conf, "", buf, sizeof(buf)), "");
	CHECK_STR(md_conf_homehost(&conf, "<SYSTEM>", buf, sizeof(buf)), u.nodename);
	CHECK_INT(parse("HOMEHOST <System>\n"), 0);
	CHECK_STR(md_conf_homehost(&conf, NULL, buf, sizeof(buf)), u.nodename);
	CHECK_INT(parse("HOMEHOST <none>\n"), 0);
	CHECK_STR(md_conf_homehost(&conf, NULL, buf, sizeof(buf)), "");
	CHECK_INT(parse("# nothing\n"), 0);
	CHECK_STR(md_conf_homehost(&conf, NULL, buf, sizeof(buf)), u.nodename);
	CHECK(md_conf_homehost(&conf, NULL, buf, 1) == NULL);
	CHECK_STR(md_conf_homehost(NULL, NULL, buf, sizeof(buf)), u.nodename);
}

TEST(auto_default_allows_everything)
{
	CHECK_INT(parse("ARRAY /dev/md0 super-minor=0\n"), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 0), 1);
	CHECK_INT(md_conf_auto_allows(&conf, "0.90", 0), 1);
	CHECK_INT(md_conf_auto_allows(&conf, "imsm", 0), 1);
	CHECK_INT(md_conf_auto_allows(&conf, "whatever", 0), 1);
}

TEST(auto_first_match_wins)
{
	CHECK_INT(parse("AUTO +1.x -all\n"), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 0), 1);
	CHECK_INT(md_conf_auto_allows(&conf, "1.2", 0), 1);	/* a version maps to 1.x */
	CHECK_INT(md_conf_auto_allows(&conf, "0.90", 1), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "imsm", 1), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "ddf", 0), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "unknown-format", 0), 1);

	CHECK_INT(parse("AUTO -0.90 +0 -1 +1.x +all\n"), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "0.90", 0), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "0", 0), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 0), 0);	/* "-1" named 1.x first */
	CHECK_INT(md_conf_auto_allows(&conf, "imsm", 0), 1);

	CHECK_INT(parse("AUTO -all +1.x\n"), 0);	/* -all ends the line */
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 1), 0);

	CHECK_INT(parse("AUTO +1.2 -IMSM no\n"), 0);	/* "1." anything is 1.x; any case */
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 0), 1);
	CHECK_INT(md_conf_auto_allows(&conf, "imsm", 0), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "0.90", 0), 0);

	CHECK_INT(parse("AUTO +0.9 Yes -1.x\n"), 0);	/* 0.9 names nothing; yes ends */
	CHECK_INT(md_conf_auto_allows(&conf, "0.90", 0), 1);
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 0), 1);

	CHECK_INT(parse("AUTO -ddf\n"), 0);	/* the default stays yes */
	CHECK_INT(md_conf_auto_allows(&conf, "ddf", 0), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 0), 1);
}

TEST(auto_only_first_line_counts)
{
	CHECK_INT(parse("AUTO +imsm\nAUTO -all\n"), 0);
	CHECK_INT(conf.nauto, 1);
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 0), 1);
	CHECK_INT(parse("AUTO\nAUTO -all\n"), 0);
	CHECK_INT(conf.auto_seen, 1);
	CHECK_INT(conf.nauto, 0);
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 0), 1);
}

TEST(auto_homehost_as_mdadm_4_2_tests_it)
{
	/* "homehost -all": mdadm records "homehost" for every format, and its
	 * conf_test_metadata denies only for "no": a foreign array passes. */
	CHECK_INT(parse("AUTO +imsm homehost -all\n"), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 1), 1);
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 0), 1);
	CHECK_INT(md_conf_auto_allows(&conf, "imsm", 0), 1);
	/* a "-" before homehost is still a plain no */
	CHECK_INT(parse("AUTO -0.90 homehost -1.x no\n"), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "0.90", 1), 0);
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 1), 1);
	CHECK_INT(md_conf_auto_allows(&conf, "ddf", 0), 1);
}

TEST(warnings_are_bounded)
{
	char text[4096] = "";
	int i;

	for (i = 0; i < 20; i++)
		strcat(text, "NOPE x\n");
	strcat(text, "ARRAY /dev/md0 super-minor=0\n");
	CHECK_INT(parse(text), 0);
	CHECK_INT(conf.nwarnings, MD_CONF_MAX_WARNINGS);
	CHECK_INT(conf.warnings_lost, 4);
	CHECK_INT(conf.narrays, 1);
	CHECK_STR(conf.warnings[0], "line 1: Unknown keyword NOPE");
}

TEST(limits_refused)
{
	static char text[64 * 1024];
	char *p = text;
	int i;

	for (i = 0; i <= MD_CONF_MAX_ARRAYS; i++)
		p += sprintf(p, "ARRAY /dev/md%d super-minor=%d\n", i, i);
	CHECK_INT(parse(text), -E2BIG);
	CHECK_INT(conf.narrays, MD_CONF_MAX_ARRAYS);
	CHECK(has_warning("more than 256 ARRAY lines"));

	p = text + sprintf(text, "DEVICE");
	for (i = 0; i <= MD_CONF_MAX_WORDS; i++)
		p += sprintf(p, " /dev/sd%d", i);
	CHECK_INT(parse(text), -E2BIG);

	p = text + sprintf(text, "DEVICE /");
	memset(p, 'x', 300);
	p[300] = 0;
	CHECK_INT(parse(text), -E2BIG);

	p = text + sprintf(text, "ARRAY /dev/md/");
	memset(p, 'x', 200);
	strcpy(p + 200, " super-minor=0\n");
	CHECK_INT(parse(text), -E2BIG);

	/* a huge word on an ignored line is fine */
	p = text + sprintf(text, "MAILADDR ");
	memset(p, 'x', 10000);
	strcpy(p + 10000, "\nARRAY /dev/md0 super-minor=0\n");
	CHECK_INT(parse(text), 0);
	CHECK_INT(conf.narrays, 1);

	/* ... as is a huge word mdadm would only warn about */
	p = text + sprintf(text, "ARRAY /dev/md0 super-minor=0 name=");
	memset(p, 'x', 10000);
	strcpy(p + 10000, "\n");
	CHECK_INT(parse(text), 0);
	CHECK(has_warning("name too long"));

	p = text + sprintf(text, "ARRAY /dev/md0 uuid=0a1b2c3d4e5f60718293a4b5c6d7e8f9");
	memset(p, ':', 10000);
	strcpy(p + 10000, "\n");
	CHECK_INT(parse(text), -E2BIG);
}

TEST(nul_byte_ends_a_word)
{
	static const char text[] = "ARRAY /dev/md0\0junk super-minor=1\nARRAY /dev/md1 super-minor=2\n";

	CHECK_INT(md_conf_parse(text, sizeof(text) - 1, &conf), 0);
	CHECK_INT(conf.narrays, 2);
	CHECK_STR(conf.arrays[0].devname, "/dev/md0");
	CHECK_INT(conf.arrays[1].super_minor, 2);
}

TEST(mdstat_active_hack_applies)
{
	CHECK_INT(parse("ARRAY uuid=0a1b2c3d4e5f60718293a4b5c6d7e8f9 name=active(1)\n"), 0);
	CHECK_STR(conf.arrays[0].name, "active");
	CHECK_STR(conf.arrays[0].devname, "1)");
	CHECK_INT(parse("ARRAY uuid=0a1b2c3d4e5f60718293a4b5c6d7e8f9 auto-read-only)\n"), 0);
	CHECK_STR(conf.arrays[0].devname, "(auto-read-only)");
}

TEST(empty_and_bad_arguments)
{
	CHECK_INT(md_conf_parse("", 0, &conf), 0);
	CHECK_INT(conf.narrays, 0);
	CHECK_INT(md_conf_parse(NULL, 0, &conf), 0);
	CHECK_INT(md_conf_parse(NULL, 1, &conf), -EINVAL);
	CHECK_INT(md_conf_parse("x", 1, NULL), -EINVAL);
	CHECK_INT(md_conf_load(NULL, &conf), -EINVAL);
	CHECK_INT(md_conf_auto_allows(NULL, "1.x", 0), 1);
}

TEST(load_errors)
{
	char path[PATH_MAX];
	FILE *f;
	int i;

	CHECK_INT(md_conf_load(t_fixture("mdconf/absent.conf"), &conf), -ENOENT);
	snprintf(path, sizeof(path), "%s/big.conf", t_tmpdir());
	f = fopen(path, "w");
	CHECK(f);
	for (i = 0; i < 40000; i++)
		fputs("# padding padding padding padding\n", f);
	fclose(f);
	CHECK_INT(md_conf_load(path, &conf), -EFBIG);
	CHECK_INT(md_conf_load("/dev/null", &conf), 0);	/* not a regular file */
	CHECK_INT(conf.narrays, 0);
}

TEST(load_directory_like_conf_d)
{
	CHECK_INT(md_conf_load(t_fixture("mdconf/conf-dir"), &conf), 0);
	CHECK_INT(conf.narrays, 2);
	CHECK_STR(conf.arrays[0].devname, "/dev/md/one");	/* 10-auto.conf first */
	CHECK_STR(conf.arrays[1].devname, "/dev/md/two");
	CHECK_STR(conf.homehost, "first");
	CHECK_INT(conf.nauto, 2);		/* the later AUTO -all is ignored */
	CHECK_INT(md_conf_auto_allows(&conf, "imsm", 0), 1);
	CHECK_INT(md_conf_auto_allows(&conf, "1.x", 0), 0);
}

TEST(append_file_then_directory)
{
	md_conf_init(&conf);
	CHECK_INT(md_conf_load_append(t_fixture("mdconf/debian-default.conf"), &conf), 0);
	CHECK_INT(md_conf_load_append(t_fixture("mdconf/conf-dir"), &conf), 0);
	CHECK_INT(conf.narrays, 5);
	CHECK_STR(conf.homehost, "<system>");	/* the first HOMEHOST wins */
	CHECK_STR(conf.arrays[4].devname, "/dev/md/two");
	CHECK_INT(md_conf_parse_append("ARRAY /dev/md9 super-minor=9 bogus\n", 35, &conf), 0);
	CHECK_INT(conf.narrays, 6);
	CHECK_STR(conf.warnings[0], "line 1: only give one device per ARRAY line: /dev/md9 and bogus");
}

TEST(load_empty_directory)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/empty.d", t_tmpdir());
	CHECK_INT(mkdir(path, 0755), 0);
	CHECK_INT(md_conf_load(path, &conf), 0);
	CHECK_INT(conf.narrays, 0);
	CHECK_INT(conf.nwarnings, 0);
}
