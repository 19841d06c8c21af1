package dev.weft.events;

/**
 * Events that failed every retry (or could not be parsed) wait here, per consumer group, until someone looks at
 * them. Replaying puts them back on that group's queue only (other groups already have them), with their retry count
 * reset.
 */
public interface ParkingLot {
    /** How many events are parked for {@code group}. */
    long size(String group) throws Exception;

    /** Moves up to {@code max} parked events of {@code group} back to its queue; returns how many moved. */
    int replay(String group, int max) throws Exception;
}
