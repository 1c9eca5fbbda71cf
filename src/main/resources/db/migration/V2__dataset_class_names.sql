-- Class names of a labelled dataset (index = class id), e.g. ["cat", "dog"] for string labels in a CSV, or the ten
-- Fashion-MNIST classes. NULL when the labels are bare integer ids.
ALTER TABLE dataset ADD COLUMN class_names JSONB;
ALTER TABLE dataset ADD CONSTRAINT ck_dataset_class_names CHECK (class_names IS NULL OR jsonb_typeof(class_names) = 'array');
