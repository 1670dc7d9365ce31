/*
 * Reference for examples/checkopts.rs: prints each option's default in the
 * format of Stevens' checkopts (UNIX Network Programming, section 7.3):
 *
 *   NAME: default = VALUE        flags "on"/"off", ints "%d",
 *                                linger "l_onoff = %d, l_linger = %d",
 *                                timeval "%d sec, %d usec"
 *   NAME: (undefined)            option not available here
 *   getsockopt error: <strerror> on stderr, after "NAME: " on stdout
 *
 * Written for bsdsock's tests (not Stevens' file). One difference, made so the
 * output depends only on the running system and not on which headers are
 * installed: the SCTP rows use Linux's option numbers and are "(undefined)"
 * exactly when an SCTP socket cannot be opened.
 *
 * Build: cc -o checkopts checkopts.c
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* What getsockopt is given: big enough for every format below. */
union value {
	int i;
	long l;
	struct linger linger;
	struct timeval tv;
};

enum format { FLAG, INT, LINGER, TIMEVAL };

struct option {
	const char *name;
	int level;
	int optname;
	enum format format;
	int defined;
};

/* Linux's SCTP numbers (<linux/sctp.h>), so no SCTP header is needed. */
#define REF_IPPROTO_SCTP 132
#define REF_SCTP_NODELAY 3
#define REF_SCTP_AUTOCLOSE 4
#define REF_SCTP_MAXSEG 13
#define REF_SCTP_MAXBURST 20

static const struct option options[] = {
	{ "SO_BROADCAST", SOL_SOCKET, SO_BROADCAST, FLAG, 1 },
	{ "SO_DEBUG", SOL_SOCKET, SO_DEBUG, FLAG, 1 },
	{ "SO_DONTROUTE", SOL_SOCKET, SO_DONTROUTE, FLAG, 1 },
	{ "SO_ERROR", SOL_SOCKET, SO_ERROR, INT, 1 },
	{ "SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE, FLAG, 1 },
	{ "SO_LINGER", SOL_SOCKET, SO_LINGER, LINGER, 1 },
	{ "SO_OOBINLINE", SOL_SOCKET, SO_OOBINLINE, FLAG, 1 },
	{ "SO_RCVBUF", SOL_SOCKET, SO_RCVBUF, INT, 1 },
	{ "SO_SNDBUF", SOL_SOCKET, SO_SNDBUF, INT, 1 },
	{ "SO_RCVLOWAT", SOL_SOCKET, SO_RCVLOWAT, INT, 1 },
	{ "SO_SNDLOWAT", SOL_SOCKET, SO_SNDLOWAT, INT, 1 },
	{ "SO_RCVTIMEO", SOL_SOCKET, SO_RCVTIMEO, TIMEVAL, 1 },
	{ "SO_SNDTIMEO", SOL_SOCKET, SO_SNDTIMEO, TIMEVAL, 1 },
	{ "SO_REUSEADDR", SOL_SOCKET, SO_REUSEADDR, FLAG, 1 },
#ifdef SO_REUSEPORT
	{ "SO_REUSEPORT", SOL_SOCKET, SO_REUSEPORT, FLAG, 1 },
#else
	{ "SO_REUSEPORT", 0, 0, INT, 0 },
#endif
	{ "SO_TYPE", SOL_SOCKET, SO_TYPE, INT, 1 },
#ifdef SO_USELOOPBACK
	{ "SO_USELOOPBACK", SOL_SOCKET, SO_USELOOPBACK, FLAG, 1 },
#endif
	{ "IP_TOS", IPPROTO_IP, IP_TOS, INT, 1 },
	{ "IP_TTL", IPPROTO_IP, IP_TTL, INT, 1 },
#ifdef IPV6_DONTFRAG
	{ "IPV6_DONTFRAG", IPPROTO_IPV6, IPV6_DONTFRAG, FLAG, 1 },
#else
	{ "IPV6_DONTFRAG", 0, 0, INT, 0 },
#endif
	{ "IPV6_UNICAST_HOPS", IPPROTO_IPV6, IPV6_UNICAST_HOPS, INT, 1 },
	{ "IPV6_V6ONLY", IPPROTO_IPV6, IPV6_V6ONLY, FLAG, 1 },
	{ "TCP_MAXSEG", IPPROTO_TCP, TCP_MAXSEG, INT, 1 },
	{ "TCP_NODELAY", IPPROTO_TCP, TCP_NODELAY, FLAG, 1 },
	{ "SCTP_AUTOCLOSE", REF_IPPROTO_SCTP, REF_SCTP_AUTOCLOSE, INT, 1 },
	{ "SCTP_MAXBURST", REF_IPPROTO_SCTP, REF_SCTP_MAXBURST, INT, 1 },
	{ "SCTP_MAXSEG", REF_IPPROTO_SCTP, REF_SCTP_MAXSEG, INT, 1 },
	{ "SCTP_NODELAY", REF_IPPROTO_SCTP, REF_SCTP_NODELAY, FLAG, 1 },
};

static void show(const struct option *o, const union value *v, socklen_t len)
{
	switch (o->format) {
	case FLAG:
		if (len != sizeof(int))
			printf("size (%d) not sizeof(int)", (int)len);
		else
			printf("%s", v->i == 0 ? "off" : "on");
		break;
	case INT:
		if (len != sizeof(int))
			printf("size (%d) not sizeof(int)", (int)len);
		else
			printf("%d", v->i);
		break;
	case LINGER:
		if (len != sizeof(struct linger))
			printf("size (%d) not sizeof(struct linger)", (int)len);
		else
			printf("l_onoff = %d, l_linger = %d", v->linger.l_onoff, v->linger.l_linger);
		break;
	case TIMEVAL:
		if (len != sizeof(struct timeval))
			printf("size (%d) not sizeof(struct timeval)", (int)len);
		else
			printf("%d sec, %d usec", (int)v->tv.tv_sec, (int)v->tv.tv_usec);
		break;
	}
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		const struct option *o = &options[i];
		union value v;
		socklen_t len = sizeof(v);
		int fd;

		printf("%s: ", o->name);
		if (!o->defined) {
			printf("(undefined)\n");
			continue;
		}
		if (o->level == REF_IPPROTO_SCTP) {
			fd = socket(AF_INET, SOCK_SEQPACKET, REF_IPPROTO_SCTP);
			if (fd < 0) {
				printf("(undefined)\n");
				continue;
			}
		} else {
			int family = o->level == IPPROTO_IPV6 ? AF_INET6 : AF_INET;
			fd = socket(family, SOCK_STREAM, 0);
			if (fd < 0) {
				int e = errno;
				fflush(stdout);
				fprintf(stderr, "socket error: %s\n", strerror(e));
				exit(1);
			}
		}
		memset(&v, 0, sizeof(v));
		if (getsockopt(fd, o->level, o->optname, &v, &len) == -1) {
			int e = errno;
			fflush(stdout);
			fprintf(stderr, "getsockopt error: %s\n", strerror(e));
		} else {
			printf("default = ");
			show(o, &v, len);
			printf("\n");
		}
		close(fd);
	}
	return 0;
}
