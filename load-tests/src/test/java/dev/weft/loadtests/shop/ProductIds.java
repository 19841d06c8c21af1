package dev.weft.loadtests.shop;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A feeder of product ids as a catalog sees them: skewed, so that a few products take most reads (Zipf with
 * exponent {@code skew}, default 1.0, over ids 1 to {@code products}, default 10,000, the shop's seed), with a share
 * {@code missingShare} of ids that exist nowhere, as scrapers and stale links produce, drawn from
 * {@code missingIds} distinct ones (few distinct ids: a scraper's list or stale links, read again and again; many:
 * a scan, which almost never repeats). Each record has {@code id} and {@code missing}.
 */
final class ProductIds implements Iterator<Map<String, Object>> {
    /** Ids from here on are never seeded. */
    static final long FIRST_MISSING = 1_000_000_000L;

    private final double[] cumulative;
    private final double missingShare;
    private final int missingIds;

    ProductIds(int products, double skew, double missingShare, int missingIds) {
        this.missingShare = missingShare;
        this.missingIds = missingIds;
        cumulative = new double[products];
        double sum = 0;
        for (int rank = 1; rank <= products; rank++) {
            sum += 1.0 / Math.pow(rank, skew);
            cumulative[rank - 1] = sum;
        }
        for (int i = 0; i < products; i++) {
            cumulative[i] /= sum;
        }
    }

    /** The catalog's reads: 5 % of them for ids out of a million missing ones, which almost never repeat. */
    static ProductIds fromSystemProperties() {
        return fromSystemProperties(0.05, 1_000_000);
    }

    /** {@code products}, {@code skew}, {@code missingShare} and {@code missingIds}, with these defaults for the last two. */
    static ProductIds fromSystemProperties(double missingShare, int missingIds) {
        return new ProductIds(
                Integer.parseInt(System.getProperty("products", "10000")),
                Double.parseDouble(System.getProperty("skew", "1.0")),
                Double.parseDouble(System.getProperty("missingShare", Double.toString(missingShare))),
                Integer.parseInt(System.getProperty("missingIds", Integer.toString(missingIds))));
    }

    /**
     * The request names a simulation asserts on: {@code present}, and {@code missing} too when there are missing ids
     * (an assertion on a request that was never sent fails the run).
     */
    String[] requestNames(String present, String missing) {
        return missingShare > 0 ? new String[] {present, missing} : new String[] {present};
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Map<String, Object> next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (random.nextDouble() < missingShare) {
            return Map.of("id", FIRST_MISSING + random.nextInt(missingIds), "missing", true);
        }
        double u = random.nextDouble();
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return Map.of("id", lo + 1L, "missing", false);
    }
}
