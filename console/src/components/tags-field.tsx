/**
 * Mantine's TagsInput, with one fix every tag box in the console needs: typing a value that is
 * already there (and pressing Enter or a separator) clears what was typed, instead of leaving it
 * in the box to glue onto the next value.
 */
import { TagsInput, type TagsInputProps } from '@mantine/core';
import { useState } from 'react';

export function TagsField(props: TagsInputProps) {
  const [search, setSearch] = useState('');
  return (
    <TagsInput
      {...props}
      searchValue={search}
      onSearchChange={setSearch}
      onDuplicate={(value) => {
        setSearch('');
        props.onDuplicate?.(value);
      }}
    />
  );
}
