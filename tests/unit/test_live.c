/* test_live.c - a container's inspect document into the live model, and --since. */
#include "live/audit.h"
#include "live/inspect.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static int load(arena *a, const char *json, pl_live *l)
{
	char err[256] = "";
	return pl_live_from_inspect(a, json, strlen(json), l, err, sizeof err);
}

static void test_since(void **state)
{
	(void)state;
	long long now = 1795852800; /* 2026-11-28T08:00:00Z */
	assert_int_equal(pl_audit_parse_since("1700000000", now), 1700000000);
	assert_int_equal(pl_audit_parse_since("2026-11-28T08:00:00Z", now), now);
	assert_int_equal(pl_audit_parse_since("2026-11-28T09:00:00.123456789+01:00", now), now);
	assert_int_equal(pl_audit_parse_since("30m", now), now - 1800);
	assert_int_equal(pl_audit_parse_since("1h30m", now), now - 5400);
	assert_int_equal(pl_audit_parse_since("7d", now), now - 7 * 86400);
	assert_true(pl_audit_parse_since("5x", now) < 0);
	assert_true(pl_audit_parse_since("", now) < 0);
	assert_true(pl_audit_parse_since("yesterday", now) < 0);
	assert_true(pl_audit_parse_since("h", now) < 0);
	assert_true(pl_audit_parse_since("12345678901234", now) < 0);
}

/* The least an Engine can answer: every setting absent, read as the API's defaults. */
static void test_minimal(void **state)
{
	(void)state;
	arena a;
	arena_init(&a);
	pl_live l;
	assert_int_equal(load(&a, "{\"Id\":\"abc\",\"Name\":\"/web\"}", &l), 0);
	assert_string_equal(l.name, "web");
	assert_string_equal(l.c.source_kind, "live");
	assert_null(l.c.user.v);
	assert_string_equal(l.c.restart.v, "no");
	assert_int_equal(l.c.privileged.v, TRI_UNSET);
	assert_int_equal(l.c.no_new_privileges.v, TRI_FALSE);
	assert_false(l.c.mem_limit.set);
	assert_int_equal(l.c.nports, 0);
	assert_true(l.c.long_running);
	arena_free(&a);
}

/* Wrong types everywhere: absent, never a crash; not a container: an error. */
static void test_hostile(void **state)
{
	(void)state;
	arena a;
	arena_init(&a);
	pl_live l;
	assert_int_equal(load(&a, "{\"Id\":\"x\",\"Config\":[],\"HostConfig\":\"s\",\"State\":5,"
				  "\"Mounts\":{},\"NetworkSettings\":{\"Ports\":[1],\"Networks\":3},"
				  "\"ExecIDs\":[1,null,\"e1\"],\"Name\":7}", &l), 0);
	assert_string_equal(l.name, "x");
	assert_int_equal(l.nexecs, 1);
	assert_int_equal(load(&a, "{\"Id\":\"x\",\"Config\":{\"Env\":[\"A\",3,\"B=1=2\"],"
				  "\"Healthcheck\":{\"Test\":[\"CMD\",5]},\"ExposedPorts\":{\"x/udp\":{}}},"
				  "\"HostConfig\":{\"Memory\":-5,\"PidsLimit\":-1,\"CapAdd\":[null]}}", &l), 0);
	assert_int_equal(l.c.nenv, 2);
	assert_string_equal(l.c.env[1].value, "1=2");
	assert_false(l.c.mem_limit.set);
	assert_false(l.c.pids_limit.set);
	assert_true(l.c.health.set);
	char err[256] = "";
	assert_int_equal(pl_live_from_inspect(&a, "[1]", 3, &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a container"));
	assert_int_equal(pl_live_from_inspect(&a, "{\"Id\":", 6, &l, err, sizeof err), -1);
	arena_free(&a);
}

static void test_settings(void **state)
{
	(void)state;
	arena a;
	arena_init(&a);
	pl_live l;
	const char *doc =
		"{\"Id\":\"0123\",\"Name\":\"/shop-web-1\",\"RestartCount\":4,"
		"\"State\":{\"Status\":\"running\",\"Restarting\":false,\"StartedAt\":\"2026-11-28T08:00:00Z\","
		" \"Health\":{\"Status\":\"unhealthy\",\"FailingStreak\":3,\"Log\":[{\"Output\":\"curl: (7) refused\\nmore\"}]}},"
		"\"Config\":{\"User\":\"10001\",\"Image\":\"sha256:" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
		" \"Labels\":{\"com.docker.compose.project\":\"shop\",\"com.docker.compose.service\":\"web\"},"
		" \"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f localhost\"],\"Interval\":30000000000,\"StartPeriod\":0}},"
		"\"HostConfig\":{\"SecurityOpt\":[\"no-new-privileges:true\",\"seccomp=unconfined\",\"label=disable\"],"
		" \"PidMode\":\"host\",\"Memory\":67108864,\"CpuQuota\":50000,\"CpuPeriod\":100000,\"PidsLimit\":64,"
		" \"Tmpfs\":{\"/tmp\":\"\"},\"RestartPolicy\":{\"Name\":\"always\"},"
		" \"LogConfig\":{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"10m\"}}},"
		"\"Mounts\":[{\"Type\":\"volume\",\"Name\":\"data\",\"Source\":\"/var/lib/docker/volumes/data\",\"Destination\":\"/data\",\"RW\":true}],"
		"\"NetworkSettings\":{\"Ports\":{\"8080/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"49153\"},"
		" {\"HostIp\":\"::\",\"HostPort\":\"49153\"}]},\"Networks\":{\"shop_default\":{\"IPAddress\":\"172.18.0.2\"}}}}";
	assert_int_equal(load(&a, doc, &l), 0);
	/* started from an image id: pinned and registry-free, named short */
	assert_null(l.c.image.v);
	assert_string_equal(l.image, "0123456789ab");
	assert_string_equal(l.c.target, "container shop-web-1 (image 0123456789ab, compose service shop/web)");
	assert_int_equal(l.c.no_new_privileges.v, TRI_TRUE);
	assert_string_equal(l.c.seccomp.v, "unconfined");
	/* label=disable comes from the Engine for --pid host: not the user's option */
	assert_int_equal(l.c.selinux_disabled.v, TRI_UNSET);
	assert_int_equal(l.c.host_pid.v, TRI_TRUE);
	assert_true(l.c.mem_limit.set);
	assert_true(l.c.cpu_limit.set && l.c.cpu_limit.v == 0.5);
	assert_true(l.c.pids_limit.v == 64);
	assert_int_equal(l.c.nmounts, 2);
	assert_int_equal(l.c.mounts[0].kind, MOUNT_VOLUME);
	assert_string_equal(l.c.mounts[0].source, "data");
	assert_int_equal(l.c.mounts[1].kind, MOUNT_TMPFS);
	assert_int_equal(l.c.nports, 1); /* 0.0.0.0 and :: on one port: one binding */
	assert_int_equal(l.c.ports[0].host_port, 49153);
	assert_string_equal(l.c.log_max_size.v, "10m");
	assert_string_equal(l.health_status, "unhealthy");
	assert_int_equal(l.failing_streak, 3);
	assert_string_equal(l.health_output, "curl: (7) refused");
	assert_int_equal(l.restart_count, 4);
	assert_int_equal(l.naddresses, 1);
	assert_string_equal(l.addresses[0], "172.18.0.2");
	assert_string_equal(l.c.health.what, "CMD-SHELL curl -f localhost");
	assert_false(l.c.health.start_period.set);
	assert_string_equal(l.c.user.at.via, "Config.User");
	arena_free(&a);
}

/* A container a kubelet started: the target names its pod. */
static void test_pod_labels(void **state)
{
	(void)state;
	arena a;
	arena_init(&a);
	pl_live l;
	assert_int_equal(load(&a, "{\"Id\":\"k\",\"Name\":\"/k8s_app_api-7d9_shop_1\","
				  "\"Config\":{\"Image\":\"registry.local/api:1.2\",\"Labels\":{"
				  "\"io.kubernetes.pod.name\":\"api-7d9\",\"io.kubernetes.pod.namespace\":\"shop\","
				  "\"io.kubernetes.container.name\":\"app\"}}}", &l), 0);
	assert_string_equal(l.c.target, "container k8s_app_api-7d9_shop_1 (image registry.local/api:1.2, "
					"pod shop/api-7d9 container app)");
	assert_string_equal(l.c.image.v, "registry.local/api:1.2");
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_since),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_pod_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
