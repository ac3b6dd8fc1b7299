/* container.c - a container model with nothing known yet. */
#include "model/container.h"

#include <string.h>

void pl_container_init(pl_container *c)
{
	memset(c, 0, sizeof *c);
	/* zero is TRI_FALSE and a real 0, so "unset" is written out */
	pl_flag *flags[] = {&c->run_as_non_root, &c->privileged, &c->read_only_root,
			    &c->no_new_privileges, &c->selinux_disabled, &c->host_network,
			    &c->host_pid, &c->host_ipc, &c->host_uts, &c->use_api_socket,
			    &c->automount_sa_token};
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
		flags[i]->v = TRI_UNSET;
	pl_num *nums[] = {&c->run_as_user, &c->user_uid, &c->mem_limit, &c->cpu_limit,
			  &c->mem_request, &c->cpu_request, &c->pids_limit, &c->replicas};
	for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
		nums[i]->v = -1;
	pl_probe *probes[] = {&c->health, &c->liveness, &c->readiness, &c->startup};
	for (size_t i = 0; i < sizeof probes / sizeof *probes; i++)
		probes[i]->interval.v = probes[i]->timeout.v = probes[i]->start_period.v =
			probes[i]->retries.v = probes[i]->initial_delay.v = -1;
}
