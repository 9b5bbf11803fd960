# guest-run-metrics.sh - runs inside the qemu guest (tests/vm/vm-run.sh) for
# tests/integration/run_metrics_v2_vm.sh: `headroom run` as the node agent on
# cgroup v2 (judge_interval 1 s, the exposition written as a textfile, the
# endpoint on loopback, /dev/kmsg on) over a kubelet-shaped tree: a container
# under a reclaim policy filled with page cache to its memory.max, and one
# whose anonymous memory is OOM-killed (a real kernel report on /dev/kmsg);
# then prints the agent's textfile and log. The guest is ours alone.
. ./guest-kubepods.sh
mkdir -p $S/run
cat >$S/headroom.conf <<CONF
[agent]
run_dir = $S/run
mlock = no
max_cgroups = 256
judge_interval = 1
metrics_listen = 127.0.0.1:19380
metrics_textfile = $S/agent.prom
[policy fill]
match = /kubepods.slice/*/*/cri-containerd-3f1e*
mode = reclaim
high = 90%
low = 80%
max_rate = 16G
max_cpu = 100%
CONF
./headroom run -c $S/headroom.conf >$S/agent.log 2>&1 &
agent=$!
i=0
while ! grep -q "ready:" $S/agent.log && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
dd if=/dev/zero of=$S/fill bs=1M count=96 2>/dev/null
sync
echo 3 >/proc/sys/vm/drop_caches	# our own guest: nothing else lives here
sh -c "echo \$\$ >$C/cgroup.procs && exec dd if=$S/fill of=/dev/null bs=1M 2>/dev/null" || exit 16
sh -c "echo \$\$ >$O/cgroup.procs && exec ./hog 128"
echo "hog-status $?"
echo "c-events-max $(awk '$1 == "max" { print $2 }' $C/memory.events)"
echo "o-oom-kill $(awk '$1 == "oom_kill" { print $2 }' $O/memory.events)"
# The report completes after 1 s of silence, the next pass exports it.
i=0
while ! grep -q '^headroom_kernel_incidents_total{kind="oom_kill"} [1-9]' $S/agent.prom 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.2; i=$((i + 1))
done
sleep 2
kill $agent
wait $agent
echo "agent-rc $?"
echo "=== prom"
cat $S/agent.prom
echo "=== end"
echo "=== log"
cat $S/agent.log
echo "=== end"
exit 0
