package io.tensorforge.domain.intake;

/** A ticket that leaves the queue with a lease. */
public record Dispatch(Ticket ticket, Lease lease) {}
