/* explain_gen.c - writes a SYNTHETIC kernel log for bench/explain.sh.
 *
 * usage: explain_gen [-u] OUT SIZE_MB FIXTURE.log...
 * Noise lines are made up here from templates of common boot/runtime
 * messages (they are synthetic and imitate nothing in particular), among
 * them a WARNING with its CPU/Hardware/Call Trace lines, which look like
 * lines of an open report; every ~1 MiB one of the given REAL fixture
 * excerpts is copied in verbatim, with its timestamps left as they are.
 * With -u each excerpt is cut after its first half of lines (at least
 * two): an unfinished report, as rate limits, lost records and cut
 * pastes leave them, which the engine must close on the evidence.
 * The result is only a speed test input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const noise[] = {
	"e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx",
	"audit: type=1400 audit(1700000000.123:456): apparmor=\"STATUS\" operation=\"profile_load\" profile=\"unconfined\" name=\"/usr/bin/man\" pid=812 comm=\"apparmor_parser\"",
	"EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: (null)",
	"IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready",
	"systemd[1]: Started Session 42 of user root.",
	"usb 1-1: new high-speed USB device number 2 using xhci_hcd",
	"device veth3f2a1b entered promiscuous mode",
	"docker0: port 3(veth3f2a1b) entered forwarding state",
	"TCP: eth0: Driver has suspect GRO implementation, TCP performance may be compromised.",
	"perf: interrupt took too long (2504 > 2500), lowering kernel.perf_event_max_sample_rate to 79750",
	"kauditd_printk_skb: 12 callbacks suppressed",
	"nvme nvme0: 8/0/0 default/read/poll queues",
	"Memory: 16318152K/16676436K available (14339K kernel code, 2400K rwdata, 5016K rodata)",
	"OOM killer enabled.",
	"WARNING: CPU: 3 PID: 1187 at net/core/dev.c:4572 __dev_queue_xmit+0x7d5/0x8e0",
	"CPU: 3 PID: 1187 Comm: kworker/3:2 Not tainted 6.1.0-18-amd64 #1 Debian 6.1.76-1",
	"Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
	"Call Trace:",
	" <TASK>",
	" ? __warn+0x7d/0xc0",
	" ? report_bug+0xe2/0x150",
	" dev_queue_xmit+0x12/0x20",
	" ip_finish_output2+0x2a1/0x560",
	" </TASK>",
	"---[ end trace 0000000000000000 ]---",
	"6147498 pages RAM",
};

int main(int argc, char **argv)
{
	int cut = argc > 1 && !strcmp(argv[1], "-u");
	argc -= cut;
	argv += cut;
	if (argc < 4) {
		fprintf(stderr, "usage: explain_gen [-u] OUT SIZE_MB FIXTURE.log...\n");
		return 2;
	}
	FILE *out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	long long want = atoll(argv[2]) * 1024 * 1024, written = 0, next_incident = 1 << 20;
	int nfix = argc - 3, which = 0, incidents = 0;
	char *fix[64];
	size_t fixlen[64];
	for (int i = 0; i < nfix && i < 64; i++) {
		FILE *f = fopen(argv[3 + i], "r");
		if (!f) {
			perror(argv[3 + i]);
			return 1;
		}
		fix[i] = malloc(1 << 20);
		fixlen[i] = fread(fix[i], 1, (1 << 20) - 1, f);
		fclose(f);
		if (cut) {	/* keep the first half of the lines, at least two */
			size_t lines = 0, keep, k = 0;
			for (size_t j = 0; j < fixlen[i]; j++)
				lines += fix[i][j] == '\n';
			keep = lines / 2 < 2 ? 2 : lines / 2;
			for (size_t j = 0; j < fixlen[i]; j++)
				if (fix[i][j] == '\n' && ++k == keep) {
					fixlen[i] = j + 1;
					break;
				}
		}
	}
	unsigned long long t = 1000000, seed = 42;
	char line[512];
	while (written < want) {
		if (written >= next_incident) {
			fwrite(fix[which], 1, fixlen[which], out);
			if (fixlen[which] && fix[which][fixlen[which] - 1] != '\n')
				fputc('\n', out);
			written += (long long)fixlen[which] + 1;
			which = (which + 1) % nfix;
			incidents++;
			next_incident += 1 << 20;
			continue;
		}
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		t += (seed >> 40) % 5000;
		int n = snprintf(line, sizeof(line), "[%6llu.%06llu] %s\n", t / 1000000, t % 1000000,
				 noise[(seed >> 33) % (sizeof(noise) / sizeof(noise[0]))]);
		fwrite(line, 1, (size_t)n, out);
		written += n;
	}
	if (fclose(out)) {
		perror(argv[1]);
		return 1;
	}
	printf("generated %lld bytes, %d real incident excerpts%s\n", written, incidents,
	       cut ? " (each cut: unfinished)" : "");
	return 0;
}
