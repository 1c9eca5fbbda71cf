package dev.genserve.api;

import dev.genserve.datasets.DatasetService;
import dev.genserve.errors.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The API's one pagination style: {@code ?page=&size=} in, a {@link Paged} body out, with RFC 8288 {@code Link}
 * headers (relative URIs, so they stay right behind a proxy) and {@code X-Total-Count}.
 */
public final class Paging {

    public static final String DEFAULT_SIZE = "20";
    public static final int MAX_SIZE = 200;
    public static final String TOTAL_COUNT = "X-Total-Count";

    private Paging() {}

    /**
     * A validated page request: page ≥ 0, 1 ≤ size ≤ 200, and an offset of at most
     * {@link DatasetService#MAX_OFFSET} (400 otherwise).
     */
    public static PageRequest request(int page, int size) {
        if (page < 0) {
            throw new InvalidInputException("page must be ≥ 0, got " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidInputException("size must be in [1, " + MAX_SIZE + "], got " + size);
        }
        if ((long) page * size > DatasetService.MAX_OFFSET) {
            throw new InvalidInputException("page × size must be at most " + DatasetService.MAX_OFFSET + ", got page="
                    + page + ", size=" + size);
        }
        return PageRequest.of(page, size);
    }

    /** Pages a list held in memory (small catalogues: built-ins, aliases). */
    public static <T> Page<T> of(List<T> all, Pageable pageable) {
        int from = (int) Math.min(pageable.getOffset(), all.size());
        int to = Math.min(from + pageable.getPageSize(), all.size());
        return new PageImpl<>(new ArrayList<>(all.subList(from, to)), pageable, all.size());
    }

    /** The 200 response for a page, its items mapped to views. */
    public static <E, T> ResponseEntity<Paged<T>> response(Page<E> page, Function<E, T> view) {
        List<T> items = page.getContent().stream().map(view).toList();
        int totalPages = page.getTotalPages();
        Paged<T> body = new Paged<>(items, page.getNumber(), page.getSize(), page.getTotalElements(), totalPages);
        return ResponseEntity.ok().header(HttpHeaders.LINK, links(page.getNumber(), page.getSize(), totalPages))
                .header(TOTAL_COUNT, Long.toString(page.getTotalElements())).body(body);
    }

    static String links(int page, int size, int totalPages) {
        int last = Math.max(0, totalPages - 1);
        List<String> links = new ArrayList<>();
        links.add(link(page(0, size), "first"));
        if (page > 0) {
            links.add(link(page(Math.min(page - 1, last), size), "prev"));
        }
        if (page < last) {
            links.add(link(page(page + 1, size), "next"));
        }
        links.add(link(page(last, size), "last"));
        return String.join(", ", links);
    }

    private static String link(String uri, String rel) {
        return "<" + uri + ">; rel=\"" + rel + "\"";
    }

    private static String page(int page, int size) {
        HttpServletRequest request = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes())
                .getRequest();
        return UriComponentsBuilder.fromPath(request.getRequestURI()).query(request.getQueryString())
                .replaceQueryParam("page", page).replaceQueryParam("size", size).build().toUriString();
    }
}
