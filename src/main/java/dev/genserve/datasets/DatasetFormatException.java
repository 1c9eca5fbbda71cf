package dev.genserve.datasets;

import dev.genserve.errors.InvalidInputException;

/**
 * An uploaded file is not a valid dataset (NaN/Inf, ragged rows, empty, wrong dtype or shape, a non-numeric value).
 * The message says precisely what and where; the API answers 400 problem+json with it as the detail.
 */
public class DatasetFormatException extends InvalidInputException {

    public DatasetFormatException(String message) {
        super(message);
    }

    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
