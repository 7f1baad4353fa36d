/* SPDX-License-Identifier: GPL-2.0-only */
/* symbols.c: the constant names scripts may use, with Linux's values
 * (packetdrill's symbols_linux.c set and more). Values come from the build
 * host's headers when it defines them, else from the Linux numbers below.
 * Generated once from a list of names and kept sorted for bsearch();
 * edit by hand keeping the table sorted (strcmp order). */
#include "symbols.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>

#ifndef SPLICE_F_MOVE
#define SPLICE_F_MOVE 1
#define SPLICE_F_NONBLOCK 2
#define SPLICE_F_MORE 4
#define SPLICE_F_GIFT 8
#endif

#ifndef EHWPOISON
#define EHWPOISON 133
#endif
#ifndef ENOTSUP
#define ENOTSUP 95
#endif
#ifndef EPOLLEXCLUSIVE
#define EPOLLEXCLUSIVE 268435456
#endif
#ifndef EPOLLWAKEUP
#define EPOLLWAKEUP 536870912
#endif
#ifndef FIONBIO
#define FIONBIO 21537
#endif
#ifndef FIONREAD
#define FIONREAD 21531
#endif
#ifndef F_EXLCK
#define F_EXLCK 4
#endif
#ifndef F_GETPIPE_SZ
#define F_GETPIPE_SZ 1032
#endif
#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031
#endif
#ifndef F_SHLCK
#define F_SHLCK 8
#endif
#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef IPV6_2292PKTINFO
#define IPV6_2292PKTINFO 2
#endif
#ifndef IPV6_ADDR_PREFERENCES
#define IPV6_ADDR_PREFERENCES 72
#endif
#ifndef IPV6_AUTOFLOWLABEL
#define IPV6_AUTOFLOWLABEL 70
#endif
#ifndef IPV6_DONTFRAG
#define IPV6_DONTFRAG 62
#endif
#ifndef IPV6_FLOWINFO
#define IPV6_FLOWINFO 11
#endif
#ifndef IPV6_FLOWINFO_SEND
#define IPV6_FLOWINFO_SEND 33
#endif
#ifndef IPV6_FLOWLABEL_MGR
#define IPV6_FLOWLABEL_MGR 32
#endif
#ifndef IPV6_JOIN_GROUP
#define IPV6_JOIN_GROUP 20
#endif
#ifndef IPV6_LEAVE_GROUP
#define IPV6_LEAVE_GROUP 21
#endif
#ifndef IPV6_MINHOPCOUNT
#define IPV6_MINHOPCOUNT 73
#endif
#ifndef IPV6_MTU
#define IPV6_MTU 24
#endif
#ifndef IPV6_PATHMTU
#define IPV6_PATHMTU 61
#endif
#ifndef IPV6_PMTUDISC_DO
#define IPV6_PMTUDISC_DO 2
#endif
#ifndef IPV6_PMTUDISC_DONT
#define IPV6_PMTUDISC_DONT 0
#endif
#ifndef IPV6_PMTUDISC_PROBE
#define IPV6_PMTUDISC_PROBE 3
#endif
#ifndef IPV6_PMTUDISC_WANT
#define IPV6_PMTUDISC_WANT 1
#endif
#ifndef IPV6_RECVERR_RFC4884
#define IPV6_RECVERR_RFC4884 31
#endif
#ifndef IPV6_RECVPATHMTU
#define IPV6_RECVPATHMTU 60
#endif
#ifndef IPV6_RECVTCLASS
#define IPV6_RECVTCLASS 66
#endif
#ifndef IPV6_ROUTER_ALERT
#define IPV6_ROUTER_ALERT 22
#endif
#ifndef IPV6_TRANSPARENT
#define IPV6_TRANSPARENT 75
#endif
#ifndef IPV6_UNICAST_IF
#define IPV6_UNICAST_IF 76
#endif
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif
#ifndef IP_CHECKSUM
#define IP_CHECKSUM 23
#endif
#ifndef IP_HDRINCL
#define IP_HDRINCL 3
#endif
#ifndef IP_IPSEC_POLICY
#define IP_IPSEC_POLICY 16
#endif
#ifndef IP_LOCAL_PORT_RANGE
#define IP_LOCAL_PORT_RANGE 51
#endif
#ifndef IP_MINTTL
#define IP_MINTTL 21
#endif
#ifndef IP_MSFILTER
#define IP_MSFILTER 41
#endif
#ifndef IP_MTU
#define IP_MTU 14
#endif
#ifndef IP_MULTICAST_ALL
#define IP_MULTICAST_ALL 49
#endif
#ifndef IP_NODEFRAG
#define IP_NODEFRAG 22
#endif
#ifndef IP_OPTIONS
#define IP_OPTIONS 4
#endif
#ifndef IP_ORIGDSTADDR
#define IP_ORIGDSTADDR 20
#endif
#ifndef IP_PASSSEC
#define IP_PASSSEC 18
#endif
#ifndef IP_PKTINFO
#define IP_PKTINFO 8
#endif
#ifndef IP_PMTUDISC_INTERFACE
#define IP_PMTUDISC_INTERFACE 4
#endif
#ifndef IP_PMTUDISC_OMIT
#define IP_PMTUDISC_OMIT 5
#endif
#ifndef IP_RECVORIGDSTADDR
#define IP_RECVORIGDSTADDR 20
#endif
#ifndef IP_RECVTOS
#define IP_RECVTOS 13
#endif
#ifndef IP_TRANSPARENT
#define IP_TRANSPARENT 19
#endif
#ifndef IP_UNICAST_IF
#define IP_UNICAST_IF 50
#endif
#ifndef IP_XFRM_POLICY
#define IP_XFRM_POLICY 17
#endif
#ifndef MSG_BATCH
#define MSG_BATCH 262144
#endif
#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 536870912
#endif
#ifndef MSG_SPLICE_PAGES
#define MSG_SPLICE_PAGES 134217728
#endif
#ifndef MSG_WAITFORONE
#define MSG_WAITFORONE 65536
#endif
#ifndef MSG_ZEROCOPY
#define MSG_ZEROCOPY 67108864
#endif
#ifndef O_DIRECT
#define O_DIRECT 16384
#endif
#ifndef O_TMPFILE
#define O_TMPFILE 4259840
#endif
#ifndef POLLMSG
#define POLLMSG 1024
#endif
#ifndef POLLRDHUP
#define POLLRDHUP 8192
#endif
#ifndef POLLREMOVE
#define POLLREMOVE 4096
#endif
#ifndef SCM_TIMESTAMP
#define SCM_TIMESTAMP 29
#endif
#ifndef SCM_TIMESTAMPING
#define SCM_TIMESTAMPING 37
#endif
#ifndef SCM_TIMESTAMPING_OPT_STATS
#define SCM_TIMESTAMPING_OPT_STATS 54
#endif
#ifndef SCM_TIMESTAMPNS
#define SCM_TIMESTAMPNS 35
#endif
#ifndef SIOCATMARK
#define SIOCATMARK 35077
#endif
#ifndef SIOCINQ
#define SIOCINQ 21531
#endif
#ifndef SIOCOUTQ
#define SIOCOUTQ 21521
#endif
#ifndef SIOCOUTQNSD
#define SIOCOUTQNSD 35147
#endif
#ifndef SOF_TIMESTAMPING_BIND_PHC
#define SOF_TIMESTAMPING_BIND_PHC 32768
#endif
#ifndef SOF_TIMESTAMPING_OPT_CMSG
#define SOF_TIMESTAMPING_OPT_CMSG 1024
#endif
#ifndef SOF_TIMESTAMPING_OPT_ID
#define SOF_TIMESTAMPING_OPT_ID 128
#endif
#ifndef SOF_TIMESTAMPING_OPT_ID_TCP
#define SOF_TIMESTAMPING_OPT_ID_TCP 65536
#endif
#ifndef SOF_TIMESTAMPING_OPT_PKTINFO
#define SOF_TIMESTAMPING_OPT_PKTINFO 8192
#endif
#ifndef SOF_TIMESTAMPING_OPT_STATS
#define SOF_TIMESTAMPING_OPT_STATS 4096
#endif
#ifndef SOF_TIMESTAMPING_OPT_TSONLY
#define SOF_TIMESTAMPING_OPT_TSONLY 2048
#endif
#ifndef SOF_TIMESTAMPING_OPT_TX_SWHW
#define SOF_TIMESTAMPING_OPT_TX_SWHW 16384
#endif
#ifndef SOF_TIMESTAMPING_RAW_HARDWARE
#define SOF_TIMESTAMPING_RAW_HARDWARE 64
#endif
#ifndef SOF_TIMESTAMPING_RX_HARDWARE
#define SOF_TIMESTAMPING_RX_HARDWARE 4
#endif
#ifndef SOF_TIMESTAMPING_RX_SOFTWARE
#define SOF_TIMESTAMPING_RX_SOFTWARE 8
#endif
#ifndef SOF_TIMESTAMPING_SOFTWARE
#define SOF_TIMESTAMPING_SOFTWARE 16
#endif
#ifndef SOF_TIMESTAMPING_SYS_HARDWARE
#define SOF_TIMESTAMPING_SYS_HARDWARE 32
#endif
#ifndef SOF_TIMESTAMPING_TX_ACK
#define SOF_TIMESTAMPING_TX_ACK 512
#endif
#ifndef SOF_TIMESTAMPING_TX_HARDWARE
#define SOF_TIMESTAMPING_TX_HARDWARE 1
#endif
#ifndef SOF_TIMESTAMPING_TX_SCHED
#define SOF_TIMESTAMPING_TX_SCHED 256
#endif
#ifndef SOF_TIMESTAMPING_TX_SOFTWARE
#define SOF_TIMESTAMPING_TX_SOFTWARE 2
#endif
#ifndef SOL_IP
#define SOL_IP 0
#endif
#ifndef SOL_IPV6
#define SOL_IPV6 41
#endif
#ifndef SOL_TCP
#define SOL_TCP 6
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif
#ifndef SO_BSDCOMPAT
#define SO_BSDCOMPAT 14
#endif
#ifndef SO_BUSY_POLL
#define SO_BUSY_POLL 46
#endif
#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif
#ifndef SO_DOMAIN
#define SO_DOMAIN 39
#endif
#ifndef SO_INCOMING_CPU
#define SO_INCOMING_CPU 49
#endif
#ifndef SO_INCOMING_NAPI_ID
#define SO_INCOMING_NAPI_ID 56
#endif
#ifndef SO_MAX_PACING_RATE
#define SO_MAX_PACING_RATE 47
#endif
#ifndef SO_NO_CHECK
#define SO_NO_CHECK 11
#endif
#ifndef SO_PEERSEC
#define SO_PEERSEC 31
#endif
#ifndef SO_PROTOCOL
#define SO_PROTOCOL 38
#endif
#ifndef SO_RCVBUFFORCE
#define SO_RCVBUFFORCE 33
#endif
#ifndef SO_SECURITY_AUTHENTICATION
#define SO_SECURITY_AUTHENTICATION 22
#endif
#ifndef SO_SECURITY_ENCRYPTION_NETWORK
#define SO_SECURITY_ENCRYPTION_NETWORK 24
#endif
#ifndef SO_SECURITY_ENCRYPTION_TRANSPORT
#define SO_SECURITY_ENCRYPTION_TRANSPORT 23
#endif
#ifndef SO_SNDBUFFORCE
#define SO_SNDBUFFORCE 32
#endif
#ifndef SO_TIMESTAMPING
#define SO_TIMESTAMPING 37
#endif
#ifndef SO_TIMESTAMPNS
#define SO_TIMESTAMPNS 35
#endif
#ifndef SO_TXTIME
#define SO_TXTIME 61
#endif
#ifndef SO_ZEROCOPY
#define SO_ZEROCOPY 60
#endif
#ifndef TCP_CC_INFO
#define TCP_CC_INFO 26
#endif
#ifndef TCP_CONGESTION
#define TCP_CONGESTION 13
#endif
#ifndef TCP_COOKIE_TRANSACTIONS
#define TCP_COOKIE_TRANSACTIONS 15
#endif
#ifndef TCP_CORK
#define TCP_CORK 3
#endif
#ifndef TCP_DEFER_ACCEPT
#define TCP_DEFER_ACCEPT 9
#endif
#ifndef TCP_DELACK_MAX_US
#define TCP_DELACK_MAX_US 46
#endif
#ifndef TCP_FASTOPEN
#define TCP_FASTOPEN 23
#endif
#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT 30
#endif
#ifndef TCP_FASTOPEN_KEY
#define TCP_FASTOPEN_KEY 33
#endif
#ifndef TCP_FASTOPEN_NO_COOKIE
#define TCP_FASTOPEN_NO_COOKIE 34
#endif
#ifndef TCP_INFO
#define TCP_INFO 11
#endif
#ifndef TCP_INQ
#define TCP_INQ 36
#endif
#ifndef TCP_IS_MPTCP
#define TCP_IS_MPTCP 43
#endif
#ifndef TCP_KEEPCNT
#define TCP_KEEPCNT 6
#endif
#ifndef TCP_KEEPIDLE
#define TCP_KEEPIDLE 4
#endif
#ifndef TCP_KEEPINTVL
#define TCP_KEEPINTVL 5
#endif
#ifndef TCP_LINGER2
#define TCP_LINGER2 8
#endif
#ifndef TCP_MAXSEG
#define TCP_MAXSEG 2
#endif
#ifndef TCP_MD5SIG
#define TCP_MD5SIG 14
#endif
#ifndef TCP_MD5SIG_EXT
#define TCP_MD5SIG_EXT 32
#endif
#ifndef TCP_NODELAY
#define TCP_NODELAY 1
#endif
#ifndef TCP_NOTSENT_LOWAT
#define TCP_NOTSENT_LOWAT 25
#endif
#ifndef TCP_QUEUE_SEQ
#define TCP_QUEUE_SEQ 21
#endif
#ifndef TCP_QUICKACK
#define TCP_QUICKACK 12
#endif
#ifndef TCP_REPAIR
#define TCP_REPAIR 19
#endif
#ifndef TCP_REPAIR_OPTIONS
#define TCP_REPAIR_OPTIONS 22
#endif
#ifndef TCP_REPAIR_QUEUE
#define TCP_REPAIR_QUEUE 20
#endif
#ifndef TCP_REPAIR_WINDOW
#define TCP_REPAIR_WINDOW 29
#endif
#ifndef TCP_RTO_MAX_MS
#define TCP_RTO_MAX_MS 44
#endif
#ifndef TCP_RTO_MIN_US
#define TCP_RTO_MIN_US 45
#endif
#ifndef TCP_SAVED_SYN
#define TCP_SAVED_SYN 28
#endif
#ifndef TCP_SAVE_SYN
#define TCP_SAVE_SYN 27
#endif
#ifndef TCP_THIN_DUPACK
#define TCP_THIN_DUPACK 17
#endif
#ifndef TCP_THIN_LINEAR_TIMEOUTS
#define TCP_THIN_LINEAR_TIMEOUTS 16
#endif
#ifndef TCP_TIMESTAMP
#define TCP_TIMESTAMP 24
#endif
#ifndef TCP_TX_DELAY
#define TCP_TX_DELAY 37
#endif
#ifndef TCP_ULP
#define TCP_ULP 31
#endif
#ifndef TCP_USER_TIMEOUT
#define TCP_USER_TIMEOUT 18
#endif
#ifndef TCP_WINDOW_CLAMP
#define TCP_WINDOW_CLAMP 10
#endif
#ifndef TCP_ZEROCOPY_RECEIVE
#define TCP_ZEROCOPY_RECEIVE 35
#endif

struct symbol {
	const char *name;
	int64_t value;
};

static const struct symbol symbol_table[] = {
	{ "AF_INET", (int64_t)(AF_INET) },
	{ "AF_INET6", (int64_t)(AF_INET6) },
	{ "AF_NETLINK", (int64_t)(AF_NETLINK) },
	{ "AF_PACKET", (int64_t)(AF_PACKET) },
	{ "AF_UNIX", (int64_t)(AF_UNIX) },
	{ "AF_UNSPEC", (int64_t)(AF_UNSPEC) },
	{ "CAP_AUDIT_CONTROL", 30 },
	{ "CAP_AUDIT_WRITE", 29 },
	{ "CAP_BLOCK_SUSPEND", 36 },
	{ "CAP_CHOWN", 0 },
	{ "CAP_CLEAR", 0 },
	{ "CAP_DAC_OVERRIDE", 1 },
	{ "CAP_DAC_READ_SEARCH", 2 },
	{ "CAP_EFFECTIVE", 0 },
	{ "CAP_FOWNER", 3 },
	{ "CAP_FSETID", 4 },
	{ "CAP_INHERITABLE", 2 },
	{ "CAP_IPC_LOCK", 14 },
	{ "CAP_IPC_OWNER", 15 },
	{ "CAP_KILL", 5 },
	{ "CAP_LEASE", 28 },
	{ "CAP_LINUX_IMMUTABLE", 9 },
	{ "CAP_MAC_ADMIN", 33 },
	{ "CAP_MAC_OVERRIDE", 32 },
	{ "CAP_MKNOD", 27 },
	{ "CAP_NET_ADMIN", 12 },
	{ "CAP_NET_BIND_SERVICE", 10 },
	{ "CAP_NET_BROADCAST", 11 },
	{ "CAP_NET_RAW", 13 },
	{ "CAP_PERMITTED", 1 },
	{ "CAP_SET", 1 },
	{ "CAP_SETFCAP", 31 },
	{ "CAP_SETGID", 6 },
	{ "CAP_SETPCAP", 8 },
	{ "CAP_SETUID", 7 },
	{ "CAP_SYSLOG", 34 },
	{ "CAP_SYS_ADMIN", 21 },
	{ "CAP_SYS_BOOT", 22 },
	{ "CAP_SYS_CHROOT", 18 },
	{ "CAP_SYS_MODULE", 16 },
	{ "CAP_SYS_NICE", 23 },
	{ "CAP_SYS_PACCT", 20 },
	{ "CAP_SYS_PTRACE", 19 },
	{ "CAP_SYS_RAWIO", 17 },
	{ "CAP_SYS_RESOURCE", 24 },
	{ "CAP_SYS_TIME", 25 },
	{ "CAP_SYS_TTY_CONFIG", 26 },
	{ "CAP_WAKE_ALARM", 35 },
	{ "E2BIG", (int64_t)(E2BIG) },
	{ "EACCES", (int64_t)(EACCES) },
	{ "EADDRINUSE", (int64_t)(EADDRINUSE) },
	{ "EADDRNOTAVAIL", (int64_t)(EADDRNOTAVAIL) },
	{ "EADV", (int64_t)(EADV) },
	{ "EAFNOSUPPORT", (int64_t)(EAFNOSUPPORT) },
	{ "EAGAIN", (int64_t)(EAGAIN) },
	{ "EALREADY", (int64_t)(EALREADY) },
	{ "EBADE", (int64_t)(EBADE) },
	{ "EBADF", (int64_t)(EBADF) },
	{ "EBADFD", (int64_t)(EBADFD) },
	{ "EBADMSG", (int64_t)(EBADMSG) },
	{ "EBADR", (int64_t)(EBADR) },
	{ "EBADRQC", (int64_t)(EBADRQC) },
	{ "EBADSLT", (int64_t)(EBADSLT) },
	{ "EBFONT", (int64_t)(EBFONT) },
	{ "EBUSY", (int64_t)(EBUSY) },
	{ "ECANCELED", (int64_t)(ECANCELED) },
	{ "ECHILD", (int64_t)(ECHILD) },
	{ "ECHRNG", (int64_t)(ECHRNG) },
	{ "ECOMM", (int64_t)(ECOMM) },
	{ "ECONNABORTED", (int64_t)(ECONNABORTED) },
	{ "ECONNREFUSED", (int64_t)(ECONNREFUSED) },
	{ "ECONNRESET", (int64_t)(ECONNRESET) },
	{ "EDEADLK", (int64_t)(EDEADLK) },
	{ "EDEADLOCK", (int64_t)(EDEADLOCK) },
	{ "EDESTADDRREQ", (int64_t)(EDESTADDRREQ) },
	{ "EDOM", (int64_t)(EDOM) },
	{ "EDOTDOT", (int64_t)(EDOTDOT) },
	{ "EDQUOT", (int64_t)(EDQUOT) },
	{ "EEXIST", (int64_t)(EEXIST) },
	{ "EFAULT", (int64_t)(EFAULT) },
	{ "EFBIG", (int64_t)(EFBIG) },
	{ "EHOSTDOWN", (int64_t)(EHOSTDOWN) },
	{ "EHOSTUNREACH", (int64_t)(EHOSTUNREACH) },
	{ "EHWPOISON", (int64_t)(EHWPOISON) },
	{ "EIDRM", (int64_t)(EIDRM) },
	{ "EILSEQ", (int64_t)(EILSEQ) },
	{ "EINPROGRESS", (int64_t)(EINPROGRESS) },
	{ "EINTR", (int64_t)(EINTR) },
	{ "EINVAL", (int64_t)(EINVAL) },
	{ "EIO", (int64_t)(EIO) },
	{ "EISCONN", (int64_t)(EISCONN) },
	{ "EISDIR", (int64_t)(EISDIR) },
	{ "EISNAM", (int64_t)(EISNAM) },
	{ "EKEYEXPIRED", (int64_t)(EKEYEXPIRED) },
	{ "EKEYREJECTED", (int64_t)(EKEYREJECTED) },
	{ "EKEYREVOKED", (int64_t)(EKEYREVOKED) },
	{ "EL2HLT", (int64_t)(EL2HLT) },
	{ "EL2NSYNC", (int64_t)(EL2NSYNC) },
	{ "EL3HLT", (int64_t)(EL3HLT) },
	{ "EL3RST", (int64_t)(EL3RST) },
	{ "ELIBACC", (int64_t)(ELIBACC) },
	{ "ELIBBAD", (int64_t)(ELIBBAD) },
	{ "ELIBEXEC", (int64_t)(ELIBEXEC) },
	{ "ELIBMAX", (int64_t)(ELIBMAX) },
	{ "ELIBSCN", (int64_t)(ELIBSCN) },
	{ "ELNRNG", (int64_t)(ELNRNG) },
	{ "ELOOP", (int64_t)(ELOOP) },
	{ "EMEDIUMTYPE", (int64_t)(EMEDIUMTYPE) },
	{ "EMFILE", (int64_t)(EMFILE) },
	{ "EMLINK", (int64_t)(EMLINK) },
	{ "EMSGSIZE", (int64_t)(EMSGSIZE) },
	{ "EMULTIHOP", (int64_t)(EMULTIHOP) },
	{ "ENAMETOOLONG", (int64_t)(ENAMETOOLONG) },
	{ "ENAVAIL", (int64_t)(ENAVAIL) },
	{ "ENETDOWN", (int64_t)(ENETDOWN) },
	{ "ENETRESET", (int64_t)(ENETRESET) },
	{ "ENETUNREACH", (int64_t)(ENETUNREACH) },
	{ "ENFILE", (int64_t)(ENFILE) },
	{ "ENOANO", (int64_t)(ENOANO) },
	{ "ENOBUFS", (int64_t)(ENOBUFS) },
	{ "ENOCSI", (int64_t)(ENOCSI) },
	{ "ENODATA", (int64_t)(ENODATA) },
	{ "ENODEV", (int64_t)(ENODEV) },
	{ "ENOENT", (int64_t)(ENOENT) },
	{ "ENOEXEC", (int64_t)(ENOEXEC) },
	{ "ENOKEY", (int64_t)(ENOKEY) },
	{ "ENOLCK", (int64_t)(ENOLCK) },
	{ "ENOLINK", (int64_t)(ENOLINK) },
	{ "ENOMEDIUM", (int64_t)(ENOMEDIUM) },
	{ "ENOMEM", (int64_t)(ENOMEM) },
	{ "ENOMSG", (int64_t)(ENOMSG) },
	{ "ENONET", (int64_t)(ENONET) },
	{ "ENOPKG", (int64_t)(ENOPKG) },
	{ "ENOPROTOOPT", (int64_t)(ENOPROTOOPT) },
	{ "ENOSPC", (int64_t)(ENOSPC) },
	{ "ENOSR", (int64_t)(ENOSR) },
	{ "ENOSTR", (int64_t)(ENOSTR) },
	{ "ENOSYS", (int64_t)(ENOSYS) },
	{ "ENOTBLK", (int64_t)(ENOTBLK) },
	{ "ENOTCONN", (int64_t)(ENOTCONN) },
	{ "ENOTDIR", (int64_t)(ENOTDIR) },
	{ "ENOTEMPTY", (int64_t)(ENOTEMPTY) },
	{ "ENOTNAM", (int64_t)(ENOTNAM) },
	{ "ENOTRECOVERABLE", (int64_t)(ENOTRECOVERABLE) },
	{ "ENOTSOCK", (int64_t)(ENOTSOCK) },
	{ "ENOTSUP", (int64_t)(ENOTSUP) },
	{ "ENOTTY", (int64_t)(ENOTTY) },
	{ "ENOTUNIQ", (int64_t)(ENOTUNIQ) },
	{ "ENXIO", (int64_t)(ENXIO) },
	{ "EOPNOTSUPP", (int64_t)(EOPNOTSUPP) },
	{ "EOVERFLOW", (int64_t)(EOVERFLOW) },
	{ "EOWNERDEAD", (int64_t)(EOWNERDEAD) },
	{ "EPERM", (int64_t)(EPERM) },
	{ "EPFNOSUPPORT", (int64_t)(EPFNOSUPPORT) },
	{ "EPIPE", (int64_t)(EPIPE) },
	{ "EPOLLERR", (int64_t)(EPOLLERR) },
	{ "EPOLLET", (int64_t)(EPOLLET) },
	{ "EPOLLEXCLUSIVE", (int64_t)(EPOLLEXCLUSIVE) },
	{ "EPOLLHUP", (int64_t)(EPOLLHUP) },
	{ "EPOLLIN", (int64_t)(EPOLLIN) },
	{ "EPOLLMSG", (int64_t)(EPOLLMSG) },
	{ "EPOLLONESHOT", (int64_t)(EPOLLONESHOT) },
	{ "EPOLLOUT", (int64_t)(EPOLLOUT) },
	{ "EPOLLPRI", (int64_t)(EPOLLPRI) },
	{ "EPOLLRDBAND", (int64_t)(EPOLLRDBAND) },
	{ "EPOLLRDHUP", (int64_t)(EPOLLRDHUP) },
	{ "EPOLLRDNORM", (int64_t)(EPOLLRDNORM) },
	{ "EPOLLWAKEUP", (int64_t)(EPOLLWAKEUP) },
	{ "EPOLLWRBAND", (int64_t)(EPOLLWRBAND) },
	{ "EPOLLWRNORM", (int64_t)(EPOLLWRNORM) },
	{ "EPOLL_CLOEXEC", (int64_t)(EPOLL_CLOEXEC) },
	{ "EPOLL_CTL_ADD", (int64_t)(EPOLL_CTL_ADD) },
	{ "EPOLL_CTL_DEL", (int64_t)(EPOLL_CTL_DEL) },
	{ "EPOLL_CTL_MOD", (int64_t)(EPOLL_CTL_MOD) },
	{ "EPROTO", (int64_t)(EPROTO) },
	{ "EPROTONOSUPPORT", (int64_t)(EPROTONOSUPPORT) },
	{ "EPROTOTYPE", (int64_t)(EPROTOTYPE) },
	{ "ERANGE", (int64_t)(ERANGE) },
	{ "EREMCHG", (int64_t)(EREMCHG) },
	{ "EREMOTE", (int64_t)(EREMOTE) },
	{ "EREMOTEIO", (int64_t)(EREMOTEIO) },
	{ "ERESTART", (int64_t)(ERESTART) },
	{ "ERFKILL", (int64_t)(ERFKILL) },
	{ "EROFS", (int64_t)(EROFS) },
	{ "ESHUTDOWN", (int64_t)(ESHUTDOWN) },
	{ "ESOCKTNOSUPPORT", (int64_t)(ESOCKTNOSUPPORT) },
	{ "ESPIPE", (int64_t)(ESPIPE) },
	{ "ESRCH", (int64_t)(ESRCH) },
	{ "ESRMNT", (int64_t)(ESRMNT) },
	{ "ESTALE", (int64_t)(ESTALE) },
	{ "ESTRPIPE", (int64_t)(ESTRPIPE) },
	{ "ETIME", (int64_t)(ETIME) },
	{ "ETIMEDOUT", (int64_t)(ETIMEDOUT) },
	{ "ETOOMANYREFS", (int64_t)(ETOOMANYREFS) },
	{ "ETXTBSY", (int64_t)(ETXTBSY) },
	{ "EUCLEAN", (int64_t)(EUCLEAN) },
	{ "EUNATCH", (int64_t)(EUNATCH) },
	{ "EUSERS", (int64_t)(EUSERS) },
	{ "EWOULDBLOCK", (int64_t)(EWOULDBLOCK) },
	{ "EXDEV", (int64_t)(EXDEV) },
	{ "EXFULL", (int64_t)(EXFULL) },
	{ "FD_CLOEXEC", (int64_t)(FD_CLOEXEC) },
	{ "FIONBIO", (int64_t)(FIONBIO) },
	{ "FIONREAD", (int64_t)(FIONREAD) },
	{ "F_DUPFD", (int64_t)(F_DUPFD) },
	{ "F_DUPFD_CLOEXEC", (int64_t)(F_DUPFD_CLOEXEC) },
	{ "F_EXLCK", (int64_t)(F_EXLCK) },
	{ "F_GETFD", (int64_t)(F_GETFD) },
	{ "F_GETFL", (int64_t)(F_GETFL) },
	{ "F_GETLEASE", (int64_t)(F_GETLEASE) },
	{ "F_GETLK", (int64_t)(F_GETLK) },
	{ "F_GETLK64", (int64_t)(F_GETLK64) },
	{ "F_GETOWN", (int64_t)(F_GETOWN) },
	{ "F_GETPIPE_SZ", (int64_t)(F_GETPIPE_SZ) },
	{ "F_GETSIG", (int64_t)(F_GETSIG) },
	{ "F_NOTIFY", (int64_t)(F_NOTIFY) },
	{ "F_RDLCK", (int64_t)(F_RDLCK) },
	{ "F_SETFD", (int64_t)(F_SETFD) },
	{ "F_SETFL", (int64_t)(F_SETFL) },
	{ "F_SETLEASE", (int64_t)(F_SETLEASE) },
	{ "F_SETLK", (int64_t)(F_SETLK) },
	{ "F_SETLK64", (int64_t)(F_SETLK64) },
	{ "F_SETLKW", (int64_t)(F_SETLKW) },
	{ "F_SETLKW64", (int64_t)(F_SETLKW64) },
	{ "F_SETOWN", (int64_t)(F_SETOWN) },
	{ "F_SETPIPE_SZ", (int64_t)(F_SETPIPE_SZ) },
	{ "F_SETSIG", (int64_t)(F_SETSIG) },
	{ "F_SHLCK", (int64_t)(F_SHLCK) },
	{ "F_UNLCK", (int64_t)(F_UNLCK) },
	{ "F_WRLCK", (int64_t)(F_WRLCK) },
	{ "INADDR_ANY", (int64_t)(INADDR_ANY) },
	{ "INADDR_LOOPBACK", (int64_t)(INADDR_LOOPBACK) },
	{ "IPPROTO_GRE", (int64_t)(IPPROTO_GRE) },
	{ "IPPROTO_ICMP", (int64_t)(IPPROTO_ICMP) },
	{ "IPPROTO_ICMPV6", (int64_t)(IPPROTO_ICMPV6) },
	{ "IPPROTO_IP", (int64_t)(IPPROTO_IP) },
	{ "IPPROTO_IPV6", (int64_t)(IPPROTO_IPV6) },
	{ "IPPROTO_MPTCP", (int64_t)(IPPROTO_MPTCP) },
	{ "IPPROTO_RAW", (int64_t)(IPPROTO_RAW) },
	{ "IPPROTO_SCTP", (int64_t)(IPPROTO_SCTP) },
	{ "IPPROTO_TCP", (int64_t)(IPPROTO_TCP) },
	{ "IPPROTO_UDP", (int64_t)(IPPROTO_UDP) },
	{ "IPPROTO_UDPLITE", (int64_t)(IPPROTO_UDPLITE) },
	{ "IPV6_2292PKTINFO", (int64_t)(IPV6_2292PKTINFO) },
	{ "IPV6_ADDRFORM", (int64_t)(IPV6_ADDRFORM) },
	{ "IPV6_ADDR_PREFERENCES", (int64_t)(IPV6_ADDR_PREFERENCES) },
	{ "IPV6_AUTOFLOWLABEL", (int64_t)(IPV6_AUTOFLOWLABEL) },
	{ "IPV6_CHECKSUM", (int64_t)(IPV6_CHECKSUM) },
	{ "IPV6_DONTFRAG", (int64_t)(IPV6_DONTFRAG) },
	{ "IPV6_FLOWINFO", (int64_t)(IPV6_FLOWINFO) },
	{ "IPV6_FLOWINFO_SEND", (int64_t)(IPV6_FLOWINFO_SEND) },
	{ "IPV6_FLOWLABEL_MGR", (int64_t)(IPV6_FLOWLABEL_MGR) },
	{ "IPV6_HOPLIMIT", (int64_t)(IPV6_HOPLIMIT) },
	{ "IPV6_JOIN_GROUP", (int64_t)(IPV6_JOIN_GROUP) },
	{ "IPV6_LEAVE_GROUP", (int64_t)(IPV6_LEAVE_GROUP) },
	{ "IPV6_MINHOPCOUNT", (int64_t)(IPV6_MINHOPCOUNT) },
	{ "IPV6_MTU", (int64_t)(IPV6_MTU) },
	{ "IPV6_MTU_DISCOVER", (int64_t)(IPV6_MTU_DISCOVER) },
	{ "IPV6_MULTICAST_HOPS", (int64_t)(IPV6_MULTICAST_HOPS) },
	{ "IPV6_MULTICAST_IF", (int64_t)(IPV6_MULTICAST_IF) },
	{ "IPV6_MULTICAST_LOOP", (int64_t)(IPV6_MULTICAST_LOOP) },
	{ "IPV6_NEXTHOP", (int64_t)(IPV6_NEXTHOP) },
	{ "IPV6_PATHMTU", (int64_t)(IPV6_PATHMTU) },
	{ "IPV6_PKTINFO", (int64_t)(IPV6_PKTINFO) },
	{ "IPV6_PMTUDISC_DO", (int64_t)(IPV6_PMTUDISC_DO) },
	{ "IPV6_PMTUDISC_DONT", (int64_t)(IPV6_PMTUDISC_DONT) },
	{ "IPV6_PMTUDISC_PROBE", (int64_t)(IPV6_PMTUDISC_PROBE) },
	{ "IPV6_PMTUDISC_WANT", (int64_t)(IPV6_PMTUDISC_WANT) },
	{ "IPV6_RECVERR", (int64_t)(IPV6_RECVERR) },
	{ "IPV6_RECVERR_RFC4884", (int64_t)(IPV6_RECVERR_RFC4884) },
	{ "IPV6_RECVHOPLIMIT", (int64_t)(IPV6_RECVHOPLIMIT) },
	{ "IPV6_RECVPATHMTU", (int64_t)(IPV6_RECVPATHMTU) },
	{ "IPV6_RECVPKTINFO", (int64_t)(IPV6_RECVPKTINFO) },
	{ "IPV6_RECVTCLASS", (int64_t)(IPV6_RECVTCLASS) },
	{ "IPV6_ROUTER_ALERT", (int64_t)(IPV6_ROUTER_ALERT) },
	{ "IPV6_TCLASS", (int64_t)(IPV6_TCLASS) },
	{ "IPV6_TRANSPARENT", (int64_t)(IPV6_TRANSPARENT) },
	{ "IPV6_UNICAST_HOPS", (int64_t)(IPV6_UNICAST_HOPS) },
	{ "IPV6_UNICAST_IF", (int64_t)(IPV6_UNICAST_IF) },
	{ "IPV6_V6ONLY", (int64_t)(IPV6_V6ONLY) },
	{ "IP_ADD_MEMBERSHIP", (int64_t)(IP_ADD_MEMBERSHIP) },
	{ "IP_BIND_ADDRESS_NO_PORT", (int64_t)(IP_BIND_ADDRESS_NO_PORT) },
	{ "IP_CHECKSUM", (int64_t)(IP_CHECKSUM) },
	{ "IP_DROP_MEMBERSHIP", (int64_t)(IP_DROP_MEMBERSHIP) },
	{ "IP_FREEBIND", (int64_t)(IP_FREEBIND) },
	{ "IP_HDRINCL", (int64_t)(IP_HDRINCL) },
	{ "IP_IPSEC_POLICY", (int64_t)(IP_IPSEC_POLICY) },
	{ "IP_LOCAL_PORT_RANGE", (int64_t)(IP_LOCAL_PORT_RANGE) },
	{ "IP_MINTTL", (int64_t)(IP_MINTTL) },
	{ "IP_MSFILTER", (int64_t)(IP_MSFILTER) },
	{ "IP_MTU", (int64_t)(IP_MTU) },
	{ "IP_MTU_DISCOVER", (int64_t)(IP_MTU_DISCOVER) },
	{ "IP_MULTICAST_ALL", (int64_t)(IP_MULTICAST_ALL) },
	{ "IP_MULTICAST_IF", (int64_t)(IP_MULTICAST_IF) },
	{ "IP_MULTICAST_LOOP", (int64_t)(IP_MULTICAST_LOOP) },
	{ "IP_MULTICAST_TTL", (int64_t)(IP_MULTICAST_TTL) },
	{ "IP_NODEFRAG", (int64_t)(IP_NODEFRAG) },
	{ "IP_OPTIONS", (int64_t)(IP_OPTIONS) },
	{ "IP_ORIGDSTADDR", (int64_t)(IP_ORIGDSTADDR) },
	{ "IP_PASSSEC", (int64_t)(IP_PASSSEC) },
	{ "IP_PKTINFO", (int64_t)(IP_PKTINFO) },
	{ "IP_PKTOPTIONS", (int64_t)(IP_PKTOPTIONS) },
	{ "IP_PMTUDISC_DO", (int64_t)(IP_PMTUDISC_DO) },
	{ "IP_PMTUDISC_DONT", (int64_t)(IP_PMTUDISC_DONT) },
	{ "IP_PMTUDISC_INTERFACE", (int64_t)(IP_PMTUDISC_INTERFACE) },
	{ "IP_PMTUDISC_OMIT", (int64_t)(IP_PMTUDISC_OMIT) },
	{ "IP_PMTUDISC_PROBE", (int64_t)(IP_PMTUDISC_PROBE) },
	{ "IP_PMTUDISC_WANT", (int64_t)(IP_PMTUDISC_WANT) },
	{ "IP_RECVERR", (int64_t)(IP_RECVERR) },
	{ "IP_RECVOPTS", (int64_t)(IP_RECVOPTS) },
	{ "IP_RECVORIGDSTADDR", (int64_t)(IP_RECVORIGDSTADDR) },
	{ "IP_RECVTOS", (int64_t)(IP_RECVTOS) },
	{ "IP_RECVTTL", (int64_t)(IP_RECVTTL) },
	{ "IP_RETOPTS", (int64_t)(IP_RETOPTS) },
	{ "IP_ROUTER_ALERT", (int64_t)(IP_ROUTER_ALERT) },
	{ "IP_TOS", (int64_t)(IP_TOS) },
	{ "IP_TRANSPARENT", (int64_t)(IP_TRANSPARENT) },
	{ "IP_TTL", (int64_t)(IP_TTL) },
	{ "IP_UNICAST_IF", (int64_t)(IP_UNICAST_IF) },
	{ "IP_XFRM_POLICY", (int64_t)(IP_XFRM_POLICY) },
	{ "LOCK_EX", (int64_t)(LOCK_EX) },
	{ "LOCK_NB", (int64_t)(LOCK_NB) },
	{ "LOCK_SH", (int64_t)(LOCK_SH) },
	{ "LOCK_UN", (int64_t)(LOCK_UN) },
	{ "MSG_BATCH", (int64_t)(MSG_BATCH) },
	{ "MSG_CMSG_CLOEXEC", (int64_t)(MSG_CMSG_CLOEXEC) },
	{ "MSG_CONFIRM", (int64_t)(MSG_CONFIRM) },
	{ "MSG_CTRUNC", (int64_t)(MSG_CTRUNC) },
	{ "MSG_DONTROUTE", (int64_t)(MSG_DONTROUTE) },
	{ "MSG_DONTWAIT", (int64_t)(MSG_DONTWAIT) },
	{ "MSG_EOR", (int64_t)(MSG_EOR) },
	{ "MSG_ERRQUEUE", (int64_t)(MSG_ERRQUEUE) },
	{ "MSG_FASTOPEN", (int64_t)(MSG_FASTOPEN) },
	{ "MSG_FIN", (int64_t)(MSG_FIN) },
	{ "MSG_MORE", (int64_t)(MSG_MORE) },
	{ "MSG_NOSIGNAL", (int64_t)(MSG_NOSIGNAL) },
	{ "MSG_OOB", (int64_t)(MSG_OOB) },
	{ "MSG_PEEK", (int64_t)(MSG_PEEK) },
	{ "MSG_PROXY", (int64_t)(MSG_PROXY) },
	{ "MSG_RST", (int64_t)(MSG_RST) },
	{ "MSG_SPLICE_PAGES", (int64_t)(MSG_SPLICE_PAGES) },
	{ "MSG_SYN", (int64_t)(MSG_SYN) },
	{ "MSG_TRUNC", (int64_t)(MSG_TRUNC) },
	{ "MSG_WAITALL", (int64_t)(MSG_WAITALL) },
	{ "MSG_WAITFORONE", (int64_t)(MSG_WAITFORONE) },
	{ "MSG_ZEROCOPY", (int64_t)(MSG_ZEROCOPY) },
	{ "NULL", 0 },
	{ "O_ACCMODE", (int64_t)(O_ACCMODE) },
	{ "O_APPEND", (int64_t)(O_APPEND) },
	{ "O_CLOEXEC", (int64_t)(O_CLOEXEC) },
	{ "O_CREAT", (int64_t)(O_CREAT) },
	{ "O_DIRECT", (int64_t)(O_DIRECT) },
	{ "O_DSYNC", (int64_t)(O_DSYNC) },
	{ "O_EXCL", (int64_t)(O_EXCL) },
	{ "O_NDELAY", (int64_t)(O_NDELAY) },
	{ "O_NOCTTY", (int64_t)(O_NOCTTY) },
	{ "O_NONBLOCK", (int64_t)(O_NONBLOCK) },
	{ "O_RDONLY", (int64_t)(O_RDONLY) },
	{ "O_RDWR", (int64_t)(O_RDWR) },
	{ "O_SYNC", (int64_t)(O_SYNC) },
	{ "O_TMPFILE", (int64_t)(O_TMPFILE) },
	{ "O_TRUNC", (int64_t)(O_TRUNC) },
	{ "O_WRONLY", (int64_t)(O_WRONLY) },
	{ "PF_INET", (int64_t)(PF_INET) },
	{ "PF_INET6", (int64_t)(PF_INET6) },
	{ "PF_UNIX", (int64_t)(PF_UNIX) },
	{ "PF_UNSPEC", (int64_t)(PF_UNSPEC) },
	{ "POLLERR", (int64_t)(POLLERR) },
	{ "POLLHUP", (int64_t)(POLLHUP) },
	{ "POLLIN", (int64_t)(POLLIN) },
	{ "POLLMSG", (int64_t)(POLLMSG) },
	{ "POLLNVAL", (int64_t)(POLLNVAL) },
	{ "POLLOUT", (int64_t)(POLLOUT) },
	{ "POLLPRI", (int64_t)(POLLPRI) },
	{ "POLLRDBAND", (int64_t)(POLLRDBAND) },
	{ "POLLRDHUP", (int64_t)(POLLRDHUP) },
	{ "POLLRDNORM", (int64_t)(POLLRDNORM) },
	{ "POLLREMOVE", (int64_t)(POLLREMOVE) },
	{ "POLLWRBAND", (int64_t)(POLLWRBAND) },
	{ "POLLWRNORM", (int64_t)(POLLWRNORM) },
	{ "SCM_CREDENTIALS", (int64_t)(SCM_CREDENTIALS) },
	{ "SCM_RIGHTS", (int64_t)(SCM_RIGHTS) },
	{ "SCM_TIMESTAMP", (int64_t)(SCM_TIMESTAMP) },
	{ "SCM_TIMESTAMPING", (int64_t)(SCM_TIMESTAMPING) },
	{ "SCM_TIMESTAMPING_OPT_STATS", (int64_t)(SCM_TIMESTAMPING_OPT_STATS) },
	{ "SCM_TIMESTAMPNS", (int64_t)(SCM_TIMESTAMPNS) },
	{ "SCM_TSTAMP_ACK", 2 },
	{ "SCM_TSTAMP_SCHED", 1 },
	{ "SCM_TSTAMP_SND", 0 },
	{ "SEEK_CUR", (int64_t)(SEEK_CUR) },
	{ "SEEK_END", (int64_t)(SEEK_END) },
	{ "SEEK_SET", (int64_t)(SEEK_SET) },
	{ "SHUT_RD", (int64_t)(SHUT_RD) },
	{ "SHUT_RDWR", (int64_t)(SHUT_RDWR) },
	{ "SHUT_WR", (int64_t)(SHUT_WR) },
	{ "SIOCATMARK", (int64_t)(SIOCATMARK) },
	{ "SIOCINQ", (int64_t)(SIOCINQ) },
	{ "SIOCOUTQ", (int64_t)(SIOCOUTQ) },
	{ "SIOCOUTQNSD", (int64_t)(SIOCOUTQNSD) },
	{ "SOCK_CLOEXEC", (int64_t)(SOCK_CLOEXEC) },
	{ "SOCK_DGRAM", (int64_t)(SOCK_DGRAM) },
	{ "SOCK_NONBLOCK", (int64_t)(SOCK_NONBLOCK) },
	{ "SOCK_RAW", (int64_t)(SOCK_RAW) },
	{ "SOCK_SEQPACKET", (int64_t)(SOCK_SEQPACKET) },
	{ "SOCK_STREAM", (int64_t)(SOCK_STREAM) },
	{ "SOF_TIMESTAMPING_BIND_PHC", (int64_t)(SOF_TIMESTAMPING_BIND_PHC) },
	{ "SOF_TIMESTAMPING_OPT_CMSG", (int64_t)(SOF_TIMESTAMPING_OPT_CMSG) },
	{ "SOF_TIMESTAMPING_OPT_ID", (int64_t)(SOF_TIMESTAMPING_OPT_ID) },
	{ "SOF_TIMESTAMPING_OPT_ID_TCP", (int64_t)(SOF_TIMESTAMPING_OPT_ID_TCP) },
	{ "SOF_TIMESTAMPING_OPT_PKTINFO", (int64_t)(SOF_TIMESTAMPING_OPT_PKTINFO) },
	{ "SOF_TIMESTAMPING_OPT_STATS", (int64_t)(SOF_TIMESTAMPING_OPT_STATS) },
	{ "SOF_TIMESTAMPING_OPT_TSONLY", (int64_t)(SOF_TIMESTAMPING_OPT_TSONLY) },
	{ "SOF_TIMESTAMPING_OPT_TX_SWHW", (int64_t)(SOF_TIMESTAMPING_OPT_TX_SWHW) },
	{ "SOF_TIMESTAMPING_RAW_HARDWARE", (int64_t)(SOF_TIMESTAMPING_RAW_HARDWARE) },
	{ "SOF_TIMESTAMPING_RX_HARDWARE", (int64_t)(SOF_TIMESTAMPING_RX_HARDWARE) },
	{ "SOF_TIMESTAMPING_RX_SOFTWARE", (int64_t)(SOF_TIMESTAMPING_RX_SOFTWARE) },
	{ "SOF_TIMESTAMPING_SOFTWARE", (int64_t)(SOF_TIMESTAMPING_SOFTWARE) },
	{ "SOF_TIMESTAMPING_SYS_HARDWARE", (int64_t)(SOF_TIMESTAMPING_SYS_HARDWARE) },
	{ "SOF_TIMESTAMPING_TX_ACK", (int64_t)(SOF_TIMESTAMPING_TX_ACK) },
	{ "SOF_TIMESTAMPING_TX_HARDWARE", (int64_t)(SOF_TIMESTAMPING_TX_HARDWARE) },
	{ "SOF_TIMESTAMPING_TX_SCHED", (int64_t)(SOF_TIMESTAMPING_TX_SCHED) },
	{ "SOF_TIMESTAMPING_TX_SOFTWARE", (int64_t)(SOF_TIMESTAMPING_TX_SOFTWARE) },
	{ "SOL_IP", (int64_t)(SOL_IP) },
	{ "SOL_IPV6", (int64_t)(SOL_IPV6) },
	{ "SOL_SOCKET", (int64_t)(SOL_SOCKET) },
	{ "SOL_TCP", (int64_t)(SOL_TCP) },
	{ "SOL_UDP", (int64_t)(SOL_UDP) },
	{ "SO_ACCEPTCONN", (int64_t)(SO_ACCEPTCONN) },
	{ "SO_ATTACH_FILTER", (int64_t)(SO_ATTACH_FILTER) },
	{ "SO_BINDTODEVICE", (int64_t)(SO_BINDTODEVICE) },
	{ "SO_BROADCAST", (int64_t)(SO_BROADCAST) },
	{ "SO_BSDCOMPAT", (int64_t)(SO_BSDCOMPAT) },
	{ "SO_BUSY_POLL", (int64_t)(SO_BUSY_POLL) },
	{ "SO_COOKIE", (int64_t)(SO_COOKIE) },
	{ "SO_DEBUG", (int64_t)(SO_DEBUG) },
	{ "SO_DETACH_FILTER", (int64_t)(SO_DETACH_FILTER) },
	{ "SO_DOMAIN", (int64_t)(SO_DOMAIN) },
	{ "SO_DONTROUTE", (int64_t)(SO_DONTROUTE) },
	{ "SO_EE_CODE_ZEROCOPY_COPIED", 1 },
	{ "SO_EE_ORIGIN_ICMP", 2 },
	{ "SO_EE_ORIGIN_ICMP6", 3 },
	{ "SO_EE_ORIGIN_LOCAL", 1 },
	{ "SO_EE_ORIGIN_NONE", 0 },
	{ "SO_EE_ORIGIN_TIMESTAMPING", 4 },
	{ "SO_EE_ORIGIN_TXSTATUS", 4 },
	{ "SO_EE_ORIGIN_TXTIME", 6 },
	{ "SO_EE_ORIGIN_ZEROCOPY", 5 },
	{ "SO_ERROR", (int64_t)(SO_ERROR) },
	{ "SO_INCOMING_CPU", (int64_t)(SO_INCOMING_CPU) },
	{ "SO_INCOMING_NAPI_ID", (int64_t)(SO_INCOMING_NAPI_ID) },
	{ "SO_KEEPALIVE", (int64_t)(SO_KEEPALIVE) },
	{ "SO_LINGER", (int64_t)(SO_LINGER) },
	{ "SO_MARK", (int64_t)(SO_MARK) },
	{ "SO_MAX_PACING_RATE", (int64_t)(SO_MAX_PACING_RATE) },
	{ "SO_NO_CHECK", (int64_t)(SO_NO_CHECK) },
	{ "SO_OOBINLINE", (int64_t)(SO_OOBINLINE) },
	{ "SO_PASSCRED", (int64_t)(SO_PASSCRED) },
	{ "SO_PEERCRED", (int64_t)(SO_PEERCRED) },
	{ "SO_PEERNAME", (int64_t)(SO_PEERNAME) },
	{ "SO_PEERSEC", (int64_t)(SO_PEERSEC) },
	{ "SO_PRIORITY", (int64_t)(SO_PRIORITY) },
	{ "SO_PROTOCOL", (int64_t)(SO_PROTOCOL) },
	{ "SO_RCVBUF", (int64_t)(SO_RCVBUF) },
	{ "SO_RCVBUFFORCE", (int64_t)(SO_RCVBUFFORCE) },
	{ "SO_RCVLOWAT", (int64_t)(SO_RCVLOWAT) },
	{ "SO_RCVTIMEO", (int64_t)(SO_RCVTIMEO) },
	{ "SO_REUSEADDR", (int64_t)(SO_REUSEADDR) },
	{ "SO_REUSEPORT", (int64_t)(SO_REUSEPORT) },
	{ "SO_SECURITY_AUTHENTICATION", (int64_t)(SO_SECURITY_AUTHENTICATION) },
	{ "SO_SECURITY_ENCRYPTION_NETWORK", (int64_t)(SO_SECURITY_ENCRYPTION_NETWORK) },
	{ "SO_SECURITY_ENCRYPTION_TRANSPORT", (int64_t)(SO_SECURITY_ENCRYPTION_TRANSPORT) },
	{ "SO_SNDBUF", (int64_t)(SO_SNDBUF) },
	{ "SO_SNDBUFFORCE", (int64_t)(SO_SNDBUFFORCE) },
	{ "SO_SNDLOWAT", (int64_t)(SO_SNDLOWAT) },
	{ "SO_SNDTIMEO", (int64_t)(SO_SNDTIMEO) },
	{ "SO_TIMESTAMP", (int64_t)(SO_TIMESTAMP) },
	{ "SO_TIMESTAMPING", (int64_t)(SO_TIMESTAMPING) },
	{ "SO_TIMESTAMPNS", (int64_t)(SO_TIMESTAMPNS) },
	{ "SO_TXTIME", (int64_t)(SO_TXTIME) },
	{ "SO_TYPE", (int64_t)(SO_TYPE) },
	{ "SO_ZEROCOPY", (int64_t)(SO_ZEROCOPY) },
	{ "SPLICE_F_GIFT", (int64_t)(SPLICE_F_GIFT) },
	{ "SPLICE_F_MORE", (int64_t)(SPLICE_F_MORE) },
	{ "SPLICE_F_MOVE", (int64_t)(SPLICE_F_MOVE) },
	{ "SPLICE_F_NONBLOCK", (int64_t)(SPLICE_F_NONBLOCK) },
	{ "TCPI_OPT_ECN", 8 },
	{ "TCPI_OPT_ECN_SEEN", 16 },
	{ "TCPI_OPT_SACK", 2 },
	{ "TCPI_OPT_SYN_DATA", 32 },
	{ "TCPI_OPT_TFO_CHILD", 128 },
	{ "TCPI_OPT_TIMESTAMPS", 1 },
	{ "TCPI_OPT_USEC_TS", 64 },
	{ "TCPI_OPT_WSCALE", 4 },
	{ "TCP_CA_CWR", 2 },
	{ "TCP_CA_DISORDER", 1 },
	{ "TCP_CA_Disorder", 1 },
	{ "TCP_CA_LOSS", 4 },
	{ "TCP_CA_Loss", 4 },
	{ "TCP_CA_OPEN", 0 },
	{ "TCP_CA_Open", 0 },
	{ "TCP_CA_RECOVERY", 3 },
	{ "TCP_CA_Recovery", 3 },
	{ "TCP_CC_INFO", (int64_t)(TCP_CC_INFO) },
	{ "TCP_CLOSE", 7 },
	{ "TCP_CLOSE_WAIT", 8 },
	{ "TCP_CLOSING", 11 },
	{ "TCP_CM_INQ", 36 },
	{ "TCP_CONGESTION", (int64_t)(TCP_CONGESTION) },
	{ "TCP_COOKIE_TRANSACTIONS", (int64_t)(TCP_COOKIE_TRANSACTIONS) },
	{ "TCP_CORK", (int64_t)(TCP_CORK) },
	{ "TCP_DEFER_ACCEPT", (int64_t)(TCP_DEFER_ACCEPT) },
	{ "TCP_DELACK_MAX_US", (int64_t)(TCP_DELACK_MAX_US) },
	{ "TCP_ESTABLISHED", 1 },
	{ "TCP_FASTOPEN", (int64_t)(TCP_FASTOPEN) },
	{ "TCP_FASTOPEN_CONNECT", (int64_t)(TCP_FASTOPEN_CONNECT) },
	{ "TCP_FASTOPEN_KEY", (int64_t)(TCP_FASTOPEN_KEY) },
	{ "TCP_FASTOPEN_NO_COOKIE", (int64_t)(TCP_FASTOPEN_NO_COOKIE) },
	{ "TCP_FIN_WAIT1", 4 },
	{ "TCP_FIN_WAIT2", 5 },
	{ "TCP_INFINITE_SSTHRESH", 2147483647 },
	{ "TCP_INFO", (int64_t)(TCP_INFO) },
	{ "TCP_INQ", (int64_t)(TCP_INQ) },
	{ "TCP_IS_MPTCP", (int64_t)(TCP_IS_MPTCP) },
	{ "TCP_KEEPCNT", (int64_t)(TCP_KEEPCNT) },
	{ "TCP_KEEPIDLE", (int64_t)(TCP_KEEPIDLE) },
	{ "TCP_KEEPINTVL", (int64_t)(TCP_KEEPINTVL) },
	{ "TCP_LAST_ACK", 9 },
	{ "TCP_LINGER2", (int64_t)(TCP_LINGER2) },
	{ "TCP_LISTEN", 10 },
	{ "TCP_MAXSEG", (int64_t)(TCP_MAXSEG) },
	{ "TCP_MD5SIG", (int64_t)(TCP_MD5SIG) },
	{ "TCP_MD5SIG_EXT", (int64_t)(TCP_MD5SIG_EXT) },
	{ "TCP_NEW_SYN_RECV", 12 },
	{ "TCP_NLA_BUSY", 1 },
	{ "TCP_NLA_BYTES_NOTSENT", 24 },
	{ "TCP_NLA_BYTES_RETRANS", 19 },
	{ "TCP_NLA_BYTES_SENT", 18 },
	{ "TCP_NLA_CA_STATE", 14 },
	{ "TCP_NLA_DATA_SEGS_OUT", 4 },
	{ "TCP_NLA_DELIVERED", 16 },
	{ "TCP_NLA_DELIVERED_CE", 17 },
	{ "TCP_NLA_DELIVERY_RATE", 7 },
	{ "TCP_NLA_DELIVERY_RATE_APP_LMT", 12 },
	{ "TCP_NLA_DSACK_DUPS", 20 },
	{ "TCP_NLA_EDT", 25 },
	{ "TCP_NLA_MIN_RTT", 10 },
	{ "TCP_NLA_PACING_RATE", 6 },
	{ "TCP_NLA_PAD", 0 },
	{ "TCP_NLA_RECUR_RETRANS", 11 },
	{ "TCP_NLA_REHASH", 27 },
	{ "TCP_NLA_REORDERING", 9 },
	{ "TCP_NLA_REORD_SEEN", 21 },
	{ "TCP_NLA_RWND_LIMITED", 2 },
	{ "TCP_NLA_SNDBUF_LIMITED", 3 },
	{ "TCP_NLA_SNDQ_SIZE", 13 },
	{ "TCP_NLA_SND_CWND", 8 },
	{ "TCP_NLA_SND_SSTHRESH", 15 },
	{ "TCP_NLA_SRTT", 22 },
	{ "TCP_NLA_TIMEOUT_REHASH", 23 },
	{ "TCP_NLA_TOTAL_RETRANS", 5 },
	{ "TCP_NLA_TTL", 26 },
	{ "TCP_NODELAY", (int64_t)(TCP_NODELAY) },
	{ "TCP_NOTSENT_LOWAT", (int64_t)(TCP_NOTSENT_LOWAT) },
	{ "TCP_QUEUE_SEQ", (int64_t)(TCP_QUEUE_SEQ) },
	{ "TCP_QUICKACK", (int64_t)(TCP_QUICKACK) },
	{ "TCP_REPAIR", (int64_t)(TCP_REPAIR) },
	{ "TCP_REPAIR_OPTIONS", (int64_t)(TCP_REPAIR_OPTIONS) },
	{ "TCP_REPAIR_QUEUE", (int64_t)(TCP_REPAIR_QUEUE) },
	{ "TCP_REPAIR_WINDOW", (int64_t)(TCP_REPAIR_WINDOW) },
	{ "TCP_RTO_MAX_MS", (int64_t)(TCP_RTO_MAX_MS) },
	{ "TCP_RTO_MIN_US", (int64_t)(TCP_RTO_MIN_US) },
	{ "TCP_SAVED_SYN", (int64_t)(TCP_SAVED_SYN) },
	{ "TCP_SAVE_SYN", (int64_t)(TCP_SAVE_SYN) },
	{ "TCP_SYNCNT", 7 },
	{ "TCP_SYN_RECV", 3 },
	{ "TCP_SYN_SENT", 2 },
	{ "TCP_THIN_DUPACK", (int64_t)(TCP_THIN_DUPACK) },
	{ "TCP_THIN_LINEAR_TIMEOUTS", (int64_t)(TCP_THIN_LINEAR_TIMEOUTS) },
	{ "TCP_TIMESTAMP", (int64_t)(TCP_TIMESTAMP) },
	{ "TCP_TIME_WAIT", 6 },
	{ "TCP_TX_DELAY", (int64_t)(TCP_TX_DELAY) },
	{ "TCP_ULP", (int64_t)(TCP_ULP) },
	{ "TCP_USER_TIMEOUT", (int64_t)(TCP_USER_TIMEOUT) },
	{ "TCP_WINDOW_CLAMP", (int64_t)(TCP_WINDOW_CLAMP) },
	{ "TCP_ZEROCOPY_RECEIVE", (int64_t)(TCP_ZEROCOPY_RECEIVE) },
};

static int symbol_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct symbol *)elem)->name);
}

int symbol_lookup(const char *name, int64_t *value)
{
	const struct symbol *s = bsearch(name, symbol_table,
					 sizeof(symbol_table) / sizeof(symbol_table[0]),
					 sizeof(symbol_table[0]), symbol_cmp);
	if (s == NULL)
		return 0;
	if (value)
		*value = s->value;
	return 1;
}

/* packetdrill's system call table (run_system_call.c), sorted. */
static const char *const syscall_names[] = {
	"accept", "bind", "cap_set", "close", "connect", "epoll_create",
	"epoll_create1", "epoll_ctl", "epoll_wait", "fcntl", "getsockopt", "ioctl", "listen",
	"open", "pipe", "poll", "read", "readv", "recv", "recvfrom",
	"recvmsg", "send", "sendfile", "sendmsg", "sendto", "setsockopt",
	"shutdown", "socket", "splice", "write", "writev",
};

static int name_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

bool syscall_known(const char *name)
{
	return bsearch(name, syscall_names,
		       sizeof(syscall_names) / sizeof(syscall_names[0]),
		       sizeof(syscall_names[0]), name_cmp) != NULL;
}

/* ICMP names as packetdrill spells them (RFC 792 / RFC 4443 numbers). */
struct icmp_code {
	const char *name;
	int code;
};
struct icmp_type {
	const char *name;
	int type;
	const struct icmp_code *codes;
};

static const struct icmp_code icmp4_unreach_codes[] = {
	{ "net_unreachable", 0 }, { "host_unreachable", 1 },
	{ "protocol_unreachable", 2 }, { "port_unreachable", 3 },
	{ "frag_needed", 4 }, { "source_route_failed", 5 },
	{ "net_unknown", 6 }, { "host_unknown", 7 },
	{ "source_host_isolated", 8 }, { "net_prohibited", 9 },
	{ "host_prohibited", 10 }, { "net_unreachable_for_tos", 11 },
	{ "host_unreachable_for_tos", 12 }, { "packet_filtered", 13 },
	{ "precedence_violation", 14 }, { "precedence_cutoff", 15 },
	{ NULL, 0 },
};

static const struct icmp_type icmp4_types[] = {
	{ "echo_reply", 0, NULL },
	{ "unreachable", 3, icmp4_unreach_codes },
	{ "source_quench", 4, NULL },
	{ "redirect", 5, NULL },
	{ "echo_request", 8, NULL },
	{ "time_exceeded", 11, NULL },
	{ "parameter_problem", 12, NULL },
	{ "timestamp_request", 13, NULL },
	{ "timestamp_reply", 14, NULL },
	{ "information_request", 15, NULL },
	{ "information_reply", 16, NULL },
	{ "address_mask_request", 17, NULL },
	{ "address_mask_reply", 18, NULL },
	{ NULL, 0, NULL },
};

static const struct icmp_code icmp6_unreach_codes[] = {
	{ "net_unreachable", 0 }, { "no_route", 0 },
	{ "admin_prohibited", 1 }, { "not_neighbour", 2 },
	{ "address_unreachable", 3 }, { "port_unreachable", 4 },
	{ NULL, 0 },
};
static const struct icmp_code icmp6_time_codes[] = {
	{ "exceeded_hop_limit", 0 }, { "exceeded_frag_time", 1 },
	{ NULL, 0 },
};
static const struct icmp_code icmp6_param_codes[] = {
	{ "header_field", 0 }, { "unknown_next_header", 1 },
	{ "unknown_option", 2 }, { NULL, 0 },
};

static const struct icmp_type icmp6_types[] = {
	{ "unreachable", 1, icmp6_unreach_codes },
	{ "packet_too_big", 2, NULL },
	{ "time_exceeded", 3, icmp6_time_codes },
	{ "parameter_problem", 4, icmp6_param_codes },
	{ "echo_request", 128, NULL },
	{ "echo_reply", 129, NULL },
	{ NULL, 0, NULL },
};

/* "type_N" / "code_N": tcpdump-style numeric forms, 0..255. */
static int numeric_name(const char *s, const char *prefix, int *out)
{
	size_t n = strlen(prefix);
	if (strncmp(s, prefix, n) != 0 || s[n] == '\0')
		return 0;
	int v = 0;
	for (s += n; *s; s++) {
		if (*s < '0' || *s > '9' || v > 255)
			return 0;
		v = v * 10 + (*s - '0');
	}
	if (v > 255)
		return 0;
	*out = v;
	return 1;
}

int icmp_lookup(int family, const char *type_name, const char *code_name,
		int *type, int *code)
{
	const struct icmp_type *t = family == AF_INET6 ? icmp6_types : icmp4_types;
	const struct icmp_code *codes = NULL;
	int ty = -1, co = -1;
	if (!numeric_name(type_name, "type_", &ty)) {
		for (; t->name; t++)
			if (strcmp(t->name, type_name) == 0) {
				ty = t->type;
				codes = t->codes;
				break;
			}
		if (ty < 0)
			return -1;
	}
	if (code_name == NULL) {
		co = 0;
	} else if (!numeric_name(code_name, "code_", &co)) {
		for (; codes && codes->name; codes++)
			if (strcmp(codes->name, code_name) == 0) {
				co = codes->code;
				break;
			}
		if (co < 0)
			return -2;
	}
	*type = ty;
	*code = co;
	return 0;
}
