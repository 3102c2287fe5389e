import { Notice } from '@/components/ui';

/** A one-line outcome under the mask panel: saved, refused, or what someone else did meanwhile. */
export interface Message {
  kind: 'ok' | 'error' | 'warn';
  text: string;
}

export type SetMessage = (message: Message | null) => void;

export function MessageNotice({ message }: { message: Message | null }) {
  if (!message) return null;
  return (
    <Notice kind={message.kind} className="small">
      {message.text}
    </Notice>
  );
}
