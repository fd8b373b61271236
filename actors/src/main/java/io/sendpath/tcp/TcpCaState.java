package io.sendpath.tcp;

/** Congestion-avoidance states, include/net/tcp.h enum tcp_ca_state (ordered as in Linux). */
public enum TcpCaState {
  TCP_CA_Open, TCP_CA_Disorder, TCP_CA_CWR, TCP_CA_Recovery, TCP_CA_Loss
}
