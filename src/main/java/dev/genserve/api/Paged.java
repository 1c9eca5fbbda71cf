package dev.genserve.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One page of a list: the only list shape of the API (jobs, datasets, built-ins, models, versions, aliases, alias
 * history). The same page's neighbours are in the {@code Link} header (rel first, prev, next, last) and the total in
 * {@code X-Total-Count}.
 *
 * @param <T> the item type
 */
public record Paged<T>(
        @Schema(description = "The items of this page") List<T> items,
        @Schema(description = "Zero-based page number", example = "0") int page,
        @Schema(description = "Page size asked for", example = "20") int size,
        @Schema(description = "Items in the whole list", example = "42") long totalItems,
        @Schema(description = "Pages in the whole list at this size", example = "3") int totalPages) {}
