// Breadcrumbs from the caller's own scope down to a node (then an enumerator or a household):
// each level a link, named where an answer gave the name, its code always beside it.
import { useTranslation } from '../../i18n/index.ts';
import { ancestors, levelOf, officeHref } from './office-route.ts';
import { NameCode, useDesk } from './office-ui.tsx';

export interface Crumb {
  label: string;
  href?: string;
}

export function Crumbs(props: { area: string | undefined; extra?: readonly Crumb[] }) {
  const { t } = useTranslation('office');
  const desk = useDesk();
  const user = desk.session.user;
  const scope = user.role === 'office' ? (user.scope ?? '') : '';
  const rootLevel = user.role === 'supervisor' ? 'supervisor' : levelOf(scope);
  const area = props.area;
  const chain = area === undefined || area === scope ? [] : user.role === 'supervisor' ? [] : ancestors(area, scope).filter((a) => a !== scope);
  const atRoot = area === undefined && !props.extra?.length;
  return (
    <nav aria-label={t('crumbs')} className="crumbs">
      <ol>
        <li>
          <a href={officeHref({ kind: 'node', area: undefined, tab: 'progress' })} aria-current={atRoot ? 'page' : undefined}>
            {t(`levels.${rootLevel}`)}
            {scope && user.role === 'office' ? (
              <>
                {' '}
                <NameCode name={desk.names.get(scope)} code={scope} />
              </>
            ) : null}
          </a>
        </li>
        {chain.map((a) => (
          <li key={a}>
            <a href={officeHref({ kind: 'node', area: a, tab: 'progress' })}>
              <NameCode name={desk.names.get(a)} code={a} />
            </a>
          </li>
        ))}
        {area !== undefined && area !== scope && (
          <li>
            <a href={officeHref({ kind: 'node', area, tab: 'progress' })} aria-current={props.extra?.length ? undefined : 'page'}>
              <NameCode name={desk.names.get(area)} code={area} />
            </a>
          </li>
        )}
        {props.extra?.map((c) => (
          <li key={c.label}>{c.href ? <a href={c.href}>{c.label}</a> : <span aria-current="page">{c.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}
