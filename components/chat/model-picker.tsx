'use client';

import type { ModelInfo } from '@/lib/models/registry';

type ModelPickerProps = {
  models: readonly ModelInfo[];
  value: string;
  onChange: (id: string) => void;
  disabled?: boolean;
};

/** Which model answers. Models of providers that are not configured are listed, disabled, with the hint. */
export function ModelPicker({ models, value, onChange, disabled }: ModelPickerProps) {
  return (
    <select
      aria-label="Model"
      data-testid="model-picker"
      value={value}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value)}
      className="max-w-full cursor-pointer truncate rounded-lg border border-transparent bg-transparent py-1.5 pr-1 pl-2 text-sm text-foreground transition field-sizing-content hover:bg-accent focus-visible:border-ring disabled:cursor-not-allowed disabled:opacity-60"
    >
      {models.map((model) => (
        <option key={model.id} value={model.id} disabled={!model.available}>
          {model.available ? model.label : `${model.label} — ${model.hint ?? 'not configured'}`}
        </option>
      ))}
    </select>
  );
}
