/* SPDX-License-Identifier: MIT */
/*
 * A delayed path: the router of a routed topology stops forwarding in its
 * kernel and a relay thread carries every frame between its two links in
 * user space instead, holding the server's SYN-ACKs for a set time.  On a
 * bare veth the SYN-ACK is processed inside the very call that sent the
 * SYN, so "returned before the connection was established" cannot be seen
 * there; behind the relay a blocking call that returns early, or a
 * non-blocking one that waits, shows.
 *
 * This kernel has no sch_netem, no sch_fq and no nft `queue`, so the
 * delay is a user-space hold: AF_PACKET sockets on rtr0 and rtr1 (with
 * virtio-net headers, so segmentation offloads pass through), the
 * Ethernet addresses rewritten as the router's own forwarding would
 * (source: the router's outgoing link; destination: the next host's
 * link), ARP and neighbour discovery left to the router's kernel.
 *
 * Contract: 0 or -errno.  The thread runs until delay_stop() or the end of
 * the case process.
 */
#ifndef TFOCHECK_DELAY_H
#define TFOCHECK_DELAY_H

struct topo;
struct delay;

/* Start relaying t's router (TOPO_ROUTED), holding server-to-client
 * SYN-ACKs for synack_ms. */
int delay_start(struct delay **d, const struct topo *t, int synack_ms);
/* Frames relayed and SYN-ACKs held so far. */
unsigned int delay_relayed(const struct delay *d);
unsigned int delay_held(const struct delay *d);
void delay_stop(struct delay *d);

#endif
